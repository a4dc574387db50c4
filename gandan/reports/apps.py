from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gandan.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gandan.org.signals import unit_merged
        from gandan.reports import merges

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="reports.on_unit_merged")
