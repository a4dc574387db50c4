from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.org.models import AdminUnit
from gandan.people.models import Role, User
from gandan.people.services import grant_add, user_create


class Command(BaseCommand):
    help = gettext_lazy("Cấp một vai trò trên một đơn vị: `gandan grant nguyenvana unit_admin --level commune "  # type: ignore[assignment]
                        "02341` (--create tạo tài khoản nếu chưa có, hỏi mật khẩu).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("unit_code")
        parser.add_argument("--level", required=True, help=_("mã cấp của đơn vị (province, commune, …)"))
        parser.add_argument("--create", action="store_true", help=_("tạo tài khoản nếu chưa có"))

    def handle(self, *args, **options) -> None:
        unit = AdminUnit.objects.filter(level__code=options["level"], code=options["unit_code"]).first()
        if unit is None:
            raise CommandError(_("Không tìm thấy đơn vị %(level)s %(code)s")
                               % {"level": options["level"], "code": options["unit_code"]})
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            if not options["create"]:
                raise CommandError(_("Không có tài khoản này (dùng --create)"))
            password = getpass.getpass(_("Mật khẩu: "))
            try:
                user = user_create(actor=None, username=options["username"], password=password)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        grant_add(actor=None, user=user, role=options["role"], unit=unit)
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {options['role']} @ {unit.name}"))
