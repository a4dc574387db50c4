from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "gandan.assignments"
    label = "assignments"
    verbose_name = "Phân công theo dõi địa bàn"
