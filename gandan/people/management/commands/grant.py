from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gandan.org.models import AdminUnit
from gandan.people.models import Role, User
from gandan.people.services import grant_add, user_create


class Command(BaseCommand):
    help = ("Cấp quyền / grant a role over a unit: `gandan grant nguyenvana unit_admin --level commune 02341` "
            "(creates the account with --create, asking for its password).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("unit_code")
        parser.add_argument("--level", required=True, help="level code of the unit (province, commune, …)")
        parser.add_argument("--create", action="store_true", help="create the account if it does not exist")

    def handle(self, *args, **options) -> None:
        unit = AdminUnit.objects.filter(level__code=options["level"], code=options["unit_code"]).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị / unknown unit {options['level']} {options['unit_code']}")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            if not options["create"]:
                raise CommandError("Không có tài khoản này (dùng --create) / no such account (use --create)")
            password = getpass.getpass("Mật khẩu / password: ")
            try:
                user = user_create(actor=None, username=options["username"], password=password)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        grant_add(actor=None, user=user, role=options["role"], unit=unit)
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {options['role']} @ {unit.name}"))
