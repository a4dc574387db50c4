from __future__ import annotations

from django.urls import path

from gandan.petitions import views

urlpatterns = [
    path("", views.home, name="petitions-home"),
]
