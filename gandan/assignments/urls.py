from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from gandan.assignments import manage_views, public_views, views

urlpatterns = [
    path("", views.home, name="assignments-home"),
    # "My area" shows last visits, so it is a field-work page now; old links and bookmarks still work.
    path("mine/", RedirectView.as_view(pattern_name="fieldwork-area", permanent=True), name="assignments-mine"),
    path("coverage/<int:pk>/", views.coverage, name="assignments-coverage"),
    path("coverage/<int:pk>/assign/", views.coverage_assign, name="assignments-coverage-assign"),
    path("coverage/<int:pk>/gaps.xlsx", views.gaps_export, name="assignments-gaps-export"),
    path("coverage/<int:pk>/propose/", views.propose, name="assignments-propose"),
    path("list/", manage_views.assignment_list, name="assignments-list"),
    path("new/", manage_views.assignment_new, name="assignments-new"),
    path("<int:pk>/end/", manage_views.assignment_end, name="assignments-end"),
    path("<int:pk>/transfer/", manage_views.assignment_transfer, name="assignments-transfer"),
    path("rules/<int:pk>/", manage_views.rules_edit, name="assignments-rules"),
    path("import/", manage_views.import_page, name="assignments-import"),
    path("import/template.xlsx", manage_views.import_template, name="assignments-import-template"),
    path("lookup/", public_views.lookup, name="assignments-lookup"),
    path("lookup/<int:pk>/", public_views.lookup_village, name="assignments-lookup-village"),
]
