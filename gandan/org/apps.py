from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gandan.org"
    label = "org"
    verbose_name = "Đơn vị hành chính"
