from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "gandan.home"
    label = "home"
    verbose_name = "Trang chủ"
