from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "gandan.campaigns"
    label = "campaigns"
    verbose_name = "Phong trào"

    def ready(self) -> None:
        from gandan.campaigns import merges
        from gandan.org.signals import unit_merged

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="campaigns.on_unit_merged")
