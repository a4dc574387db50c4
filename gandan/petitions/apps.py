from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "gandan.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from gandan.org.services import MERGE_MOVERS
        from gandan.people.services import CADRE_LEAVE_HOOKS
        from gandan.petitions import hooks

        if hooks.move_open_petitions not in MERGE_MOVERS:
            MERGE_MOVERS.append(hooks.move_open_petitions)
        if hooks.release_cadre not in CADRE_LEAVE_HOOKS:
            CADRE_LEAVE_HOOKS.append(hooks.release_cadre)
