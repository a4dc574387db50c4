from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gandan.people"
    label = "people"
    verbose_name = "Cán bộ và tài khoản"
