from __future__ import annotations

from django.urls import include, path, re_path

from gandan.petitions import open311, public_views, report_views, settings_views, step_views, views

FMT = r"(?P<fmt>json|xml)"

open311_patterns = [
    path("", open311.discovery, {"fmt": "json"}, name="open311-root"),
    re_path(rf"^discovery\.{FMT}$", open311.discovery, name="open311-discovery"),
    re_path(rf"^services\.{FMT}$", open311.services_list, name="open311-services"),
    re_path(rf"^services/(?P<code>[\w-]+)\.{FMT}$", open311.service_definition, name="open311-service"),
    re_path(rf"^requests\.{FMT}$", open311.requests_collection, name="open311-requests"),
    re_path(rf"^requests/(?P<request_id>[\w.-]+?)\.{FMT}$", open311.request_detail, name="open311-request"),
]

urlpatterns = [
    path("", views.home, name="petitions-home"),
    path("new/", views.record, name="petitions-record"),
    path("new/duplicates/", views.duplicates, name="petitions-duplicates"),
    path("list/", report_views.petition_list, name="petitions-list"),
    path("rates/", report_views.rates_page, name="petitions-rates"),
    path("ranking/", report_views.ranking_page, name="petitions-ranking"),
    path("hotspots/", report_views.hotspots_page, name="petitions-hotspots"),
    path("settings/", settings_views.settings_page, name="petitions-settings"),
    path("settings/field/", settings_views.field_save, name="petitions-settings-field"),
    path("settings/policy/", settings_views.policy_set, name="petitions-settings-policy"),
    path("settings/working-time/", settings_views.working_time_set, name="petitions-settings-working-time"),
    path("settings/holiday/", settings_views.holiday_set, name="petitions-settings-holiday"),
    path("settings/holidays/<int:pk>/remove/", settings_views.holiday_remove, name="petitions-settings-holiday-remove"),
    path("settings/rule/", settings_views.rule_set, name="petitions-settings-rule"),
    path("settings/rules/<int:pk>/remove/", settings_views.rule_remove, name="petitions-settings-rule-remove"),
    path("notifications/read/", views.notifications_read, name="petitions-notifications-read"),
    path("files/<int:pk>/", views.attachment, name="petitions-file"),
    path("<int:pk>/", views.detail, name="petitions-detail"),
    path("<int:pk>/receipt/", views.receipt, name="petitions-receipt"),
    path("<int:pk>/act/pin/", step_views.pin_issue, name="petitions-pin-issue"),
    # the steps on a concern: one POST-only view each (step_views)
    path("<int:pk>/act/accept/", step_views.accept, name="petitions-accept"),
    path("<int:pk>/act/handle/", step_views.handle, name="petitions-handle"),
    path("<int:pk>/act/escalate/", step_views.escalate, name="petitions-escalate"),
    path("<int:pk>/act/transfer/", step_views.transfer, name="petitions-transfer"),
    path("<int:pk>/act/answer/", step_views.answer, name="petitions-answer"),
    path("<int:pk>/act/route_out/", step_views.route_out, name="petitions-route-out"),
    path("<int:pk>/act/merge/", step_views.merge, name="petitions-merge"),
    path("<int:pk>/act/rate/", step_views.rate, name="petitions-rate"),
    # public, no login
    path("public/new/", public_views.public_new, name="petitions-public-new"),
    path("public/sent/<str:code>/", public_views.public_sent, name="petitions-public-sent"),
    path("public/duplicates/", public_views.public_duplicates, name="petitions-public-duplicates"),
    path("welcome/", public_views.landing, name="landing"),
    path("public/units/", public_views.public_units, name="petitions-public-units"),
    path("track/", public_views.track_lookup, name="petitions-track-lookup"),
    path("track/<str:code>/", public_views.track, name="petitions-track"),
    path("track/<str:code>/documents/<int:pk>/", public_views.track_document, name="petitions-track-document"),
    path("open311/v2/", include(open311_patterns)),
]
