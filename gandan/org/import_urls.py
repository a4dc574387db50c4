from __future__ import annotations

from django.urls import path

from gandan.org import import_views

urlpatterns = [
    path("", import_views.imports_home, name="imports-home"),
]
