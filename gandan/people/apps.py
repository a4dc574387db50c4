from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gandan.people"
    label = "people"
    verbose_name = "Cán bộ và tài khoản"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from gandan.org.signals import unit_merged
        from gandan.people import checks, merges, otp, sessions

        unit_merged.connect(merges.on_unit_merged, dispatch_uid="people.on_unit_merged")
        sessions.connect()
        user_logged_in.connect(otp.noted_at_login, dispatch_uid="people.otp.login")
        checks.register()
