from __future__ import annotations

from django.urls import path, re_path

from gandan.plans import assess_views, catalogue_views, log_views, my_views, task_views, team_views

urlpatterns = [
    path("", my_views.my_plan, name="plans-home"),
    path("tasks/new/", task_views.task_new, name="plans-task-new"),
    path("tasks/<int:pk>/", task_views.task_detail, name="plans-task"),
    path("tasks/<int:pk>/report/", task_views.task_report, name="plans-task-report"),
    path("tasks/<int:pk>/weight/", task_views.task_weight, name="plans-task-weight"),
    path("tasks/<int:pk>/reassign/", task_views.task_reassign, name="plans-task-reassign"),
    path("tasks/<int:pk>/assess/", assess_views.task_assess, name="plans-task-assess"),
    path("tasks/<int:pk>/cause/", assess_views.cause_certify, name="plans-task-cause"),
    path("awaiting/", assess_views.awaiting, name="plans-awaiting"),
    path("team/", team_views.team, name="plans-team"),
    path("due/", team_views.due, name="plans-due"),
    path("<int:pk>/", team_views.plan_detail, name="plans-plan"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<step>submit|approve|return)/$", team_views.plan_decide, name="plans-plan-decide"),
    path("log/", log_views.work_log, name="plans-log"),
    path("log/setting/", log_views.work_log_setting, name="plans-log-setting"),
    path("catalogue/", catalogue_views.catalogue, name="plans-catalogue"),
    path("catalogue/template.xlsx", catalogue_views.catalogue_template, name="plans-catalogue-template"),
]
