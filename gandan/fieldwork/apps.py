from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "gandan.fieldwork"
    label = "fieldwork"
    verbose_name = "Đi cơ sở"
