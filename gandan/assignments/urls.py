from __future__ import annotations

from django.urls import path

from gandan.assignments import views

urlpatterns = [
    path("", views.home, name="assignments-home"),
]
