from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "gandan.fieldwork"
    label = "fieldwork"
    verbose_name = "Đi cơ sở"

    def ready(self) -> None:
        from gandan.fieldwork import meeting_services
        from gandan.org.services import MERGE_MOVERS
        from gandan.people.services import CADRE_LEAVE_HOOKS

        if meeting_services.move_meetings not in MERGE_MOVERS:
            MERGE_MOVERS.append(meeting_services.move_meetings)
        if meeting_services.release_secretary not in CADRE_LEAVE_HOOKS:
            CADRE_LEAVE_HOOKS.append(meeting_services.release_secretary)
