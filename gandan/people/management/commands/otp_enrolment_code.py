"""`gandan otp-enrolment-code LOGIN`: a one-time enrolment code of the two-step sign-in, issued by the
system (people/enrolment_codes.py), for the first administrator, who has nobody above to issue one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.people.enrolment_codes import code_issue
from gandan.people.models import User


class Command(BaseCommand):
    help = gettext_lazy("Cấp mã đăng ký xác thực hai bước dùng một lần cho một tài khoản (người quản trị "  # type: ignore[assignment]
                        "đầu tiên, khi chưa có ai cấp trên trang web)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("Không có tài khoản này"))
        code, expires = code_issue(actor=None, user=user)
        when = formats.date_format(timezone.localtime(expires), "H:i d/m/Y")
        self.stdout.write(_("Mã đăng ký của %(u)s: %(code)s (dùng một lần, hết hạn lúc %(when)s)")
                          % {"u": user.username, "code": code, "when": when})
