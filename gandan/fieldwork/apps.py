from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "gandan.fieldwork"
    label = "fieldwork"
    verbose_name = "Đi cơ sở"

    def ready(self) -> None:
        from gandan.fieldwork import meeting_services, merges
        from gandan.org.signals import unit_merged
        from gandan.people.signals import cadre_left

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="fieldwork.on_unit_merged")
        cadre_left.connect(meeting_services.release_secretary, dispatch_uid="fieldwork.release_secretary")
