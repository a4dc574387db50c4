from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gandan.people"
    label = "people"
    verbose_name = "Cán bộ và tài khoản"

    def ready(self) -> None:
        from gandan.org.signals import unit_merged
        from gandan.people import merges, sessions

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="people.on_unit_merged")
        sessions.connect()
