from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gandan.core"
    label = "core"
    verbose_name = "Gần Dân core"

    def ready(self) -> None:
        from gandan.core import collation  # noqa: F401  (registers SQLite's Vietnamese collation)
