from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "gandan.plans"
    label = "plans"
    verbose_name = "Kế hoạch cá nhân"

    def ready(self) -> None:
        from gandan.org.signals import unit_merged
        from gandan.people.signals import cadre_left
        from gandan.plans import merges, services

        cadre_left.connect(services.hand_over_on_leave, dispatch_uid="plans.hand_over_on_leave")
        unit_merged.connect(merges.on_unit_merged, dispatch_uid="plans.on_unit_merged")
