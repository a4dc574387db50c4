from __future__ import annotations

from django.urls import path

from gandan.fieldwork import views

urlpatterns = [
    path("", views.home, name="fieldwork-home"),
]
