from __future__ import annotations

from django.urls import path

from gandan.people import import_views

urlpatterns = [
    path("", import_views.imports_home, name="imports-home"),
    path("upload/", import_views.imports_upload, name="imports-upload"),
    path("convert/", import_views.imports_convert, name="imports-convert"),
    path("template/<slug:kind>.<slug:fmt>", import_views.import_template, name="imports-template"),
]
