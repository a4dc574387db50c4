from __future__ import annotations

from django.urls import path

from gandan.campaigns import event_views, model_views, views

urlpatterns = [
    path("", views.home, name="campaigns-home"),
    path("new/", views.campaign_new, name="campaigns-new"),
    path("<int:pk>/", views.campaign_detail, name="campaigns-detail"),
    path("<int:pk>/events/new/", event_views.event_new, name="campaigns-event-new"),
    path("events/", event_views.event_list, name="campaigns-events"),
    path("events/<int:pk>/", event_views.event_detail, name="campaigns-event"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="campaigns-event-edit"),
    path("events/<int:pk>/delete/", event_views.event_delete, name="campaigns-event-delete"),
    path("models/", model_views.model_list, name="campaigns-models"),
    path("models/new/", model_views.model_new, name="campaigns-model-new"),
    path("models/<int:pk>/", model_views.model_detail, name="campaigns-model"),
    path("photos/<int:pk>/", views.photo, name="campaigns-photo"),
]
