from __future__ import annotations

from django.urls import path

from gandan.evaluation import group_views, lead_views, rubric_views, views

urlpatterns = [
    path("", views.home, name="evaluation-home"),
    path("sheets/<int:pk>/", views.sheet_detail, name="evaluation-sheet"),
    path("sheets/<int:pk>/self/", views.sheet_self, name="evaluation-sheet-self"),
    path("sheets/<int:pk>/assess/", views.sheet_assess, name="evaluation-sheet-assess"),
    path("sheets/<int:pk>/initiatives/", views.sheet_initiatives, name="evaluation-sheet-initiatives"),
    path("sheets/<int:pk>/leave/", lead_views.sheet_leave, name="evaluation-sheet-leave"),
    path("assess/", views.assess_list, name="evaluation-assess"),
    path("published/", views.published, name="evaluation-published"),
    path("months/", lead_views.months, name="evaluation-months"),
    path("months/open/", lead_views.month_open, name="evaluation-month-open"),
    path("months/<int:pk>/", lead_views.month_detail, name="evaluation-month"),
    path("months/<int:pk>/conclude/", lead_views.month_conclude, name="evaluation-month-conclude"),
    path("months/<int:pk>/reopen/", lead_views.month_reopen, name="evaluation-month-reopen"),
    path("agencies/<int:pk>/groups/", group_views.agency_groups, name="evaluation-agency-groups"),
    path("board/", lead_views.board, name="evaluation-board"),
    path("ranking/", lead_views.ranking, name="evaluation-ranking"),
    path("year/", lead_views.year, name="evaluation-year"),
    path("year/compute/", lead_views.year_compute, name="evaluation-year-compute"),
    path("year/<int:pk>/title/", lead_views.title_propose, name="evaluation-title"),
    path("rubrics/", rubric_views.rubrics, name="evaluation-rubrics"),
    path("rubrics/<int:pk>/", rubric_views.rubric_detail, name="evaluation-rubric"),
    path("rubrics/<int:pk>/new/", rubric_views.rubric_new, name="evaluation-rubric-new"),
    path("year/<int:pk>/commendation/", lead_views.commendation_record, name="evaluation-commendation"),
]
