from __future__ import annotations

from django.urls import path

from gandan.fieldwork import area_views, leader_views, meeting_views, offline_views, views

urlpatterns = [
    path("", views.home, name="fieldwork-home"),
    path("area/", area_views.my_area, name="fieldwork-area"),
    path("visits/new/", views.capture, name="fieldwork-capture"),
    path("concerns/new/", offline_views.concern_capture, name="fieldwork-concern-capture"),
    path("offline/", offline_views.offline_page, name="fieldwork-offline"),
    path("visits/", leader_views.visit_list, name="fieldwork-visits"),
    path("visits/<int:pk>/", leader_views.visit_detail, name="fieldwork-visit"),
    path("visits/<int:pk>/edit/", leader_views.visit_edit, name="fieldwork-visit-edit"),
    path("calendar/", leader_views.calendar, name="fieldwork-calendar"),
    path("compliance/", leader_views.compliance, name="fieldwork-compliance"),
    path("meetings/", meeting_views.meeting_list, name="fieldwork-meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="fieldwork-meeting-new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="fieldwork-meeting"),
    path("locks/", meeting_views.locks, name="fieldwork-locks"),
    path("locks/unlock/", meeting_views.unlock, name="fieldwork-unlock"),
    path("settings/", meeting_views.settings_page, name="fieldwork-settings"),
    path("settings/topics/", meeting_views.topic_save, name="fieldwork-settings-topic"),
    path("settings/quotas/", meeting_views.quota_save, name="fieldwork-settings-quota"),
    path("photos/<int:pk>/", views.photo, name="fieldwork-photo"),
    path("sw.js", views.service_worker, name="fieldwork-sw"),
    path("manifest.webmanifest", views.manifest, name="fieldwork-manifest"),
]
