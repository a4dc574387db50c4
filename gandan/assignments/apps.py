from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "gandan.assignments"
    label = "assignments"
    verbose_name = "Phân công theo dõi địa bàn"

    def ready(self) -> None:
        from gandan.assignments.services import close_for_leaver, move_on_merge
        from gandan.org.services import MERGE_MOVERS
        from gandan.people.services import CADRE_LEAVE_HOOKS

        if move_on_merge not in MERGE_MOVERS:
            MERGE_MOVERS.append(move_on_merge)
        if close_for_leaver not in CADRE_LEAVE_HOOKS:
            CADRE_LEAVE_HOOKS.append(close_for_leaver)
