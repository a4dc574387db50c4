from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "gandan.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from gandan.org.signals import unit_merged
        from gandan.people.signals import cadre_left
        from gandan.petitions import hooks, merges

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="petitions.on_unit_merged")
        cadre_left.connect(hooks.release_cadre, dispatch_uid="petitions.release_cadre")
