from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "gandan.assignments"
    label = "assignments"
    verbose_name = "Phân công theo dõi địa bàn"

    def ready(self) -> None:
        from gandan.assignments import services
        from gandan.org.signals import unit_merged
        from gandan.people.signals import cadre_left

        unit_merged.connect(services.move_on_merge, dispatch_uid="assignments.move_on_merge")
        cadre_left.connect(services.close_for_leaver, dispatch_uid="assignments.close_for_leaver")
