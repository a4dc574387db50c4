from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "gandan.assignments"
    label = "assignments"
    verbose_name = "Phân công theo dõi địa bàn"

    def ready(self) -> None:
        from gandan.assignments import merges, services
        from gandan.org.signals import unit_merged
        from gandan.people.signals import cadre_left

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="assignments.on_unit_merged")
        cadre_left.connect(services.close_for_leaver, dispatch_uid="assignments.close_for_leaver")
