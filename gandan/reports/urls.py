from django.urls import path

from gandan.reports import views, workflow_views

urlpatterns = [
    path("", views.dashboard, name="reports-dashboard"),
    path("periodic/", workflow_views.report_list, name="reports-list"),
    path("periodic/<int:pk>/<str:period>.<str:fmt>", workflow_views.report_file, name="reports-file"),
    path("periodic/<int:pk>/<str:step>/", workflow_views.report_step, name="reports-step"),
]
