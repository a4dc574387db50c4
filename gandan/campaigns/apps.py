from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "gandan.campaigns"
    label = "campaigns"
    verbose_name = "Phong trào"

    def ready(self) -> None:
        from gandan.campaigns import hooks
        from gandan.org.signals import unit_merged

        unit_merged.connect(hooks.move_on_merge, dispatch_uid="campaigns.move_on_merge")
