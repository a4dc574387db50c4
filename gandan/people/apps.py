from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gandan.people"
    label = "people"
    verbose_name = "Cán bộ và tài khoản"

    def ready(self) -> None:
        from gandan.org.signals import unit_merged
        from gandan.people import services

        unit_merged.connect(services.move_on_merge, dispatch_uid="people.move_on_merge")
