"""`gandan open311-key create --province 08 --name "Ứng dụng X"` prints a new key once;
`gandan open311-key list` and `gandan open311-key revoke PREFIX` manage them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gandan.org.models import AdminUnit
from gandan.petitions import keys


class Command(BaseCommand):
    help = ("Khóa API cho ứng dụng Open311 (tạo, liệt kê, thu hồi) / API keys of Open311 clients "
            "(create, list, revoke)")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--province", required=True, help="mã tỉnh / province code, e.g. 08")
        create.add_argument("--name", required=True, help="tên ứng dụng / the client's name")
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="các ký tự đầu của khóa / the key's first characters")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            province = AdminUnit.objects.filter(level__code="province", code=options["province"]).first()
            if province is None:
                raise CommandError(f"Không có tỉnh mã {options['province']} / no province with this code")
            try:
                key, plaintext = keys.key_create(actor=None, province=province, name=options["name"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(
                f"Đã tạo khóa “{key.name}” cho {province.name}. Khóa chỉ hiện một lần / key created, shown once:"))
            self.stdout.write(plaintext)
        elif action == "list":
            for key in keys.client_keys():
                state = "thu hồi / revoked" if key.revoked_at else "hiệu lực / active"
                self.stdout.write(f"{key.prefix}…  {key.name}  {key.open311_client.province.name}  {state}")
        else:
            found = keys.client_keys().filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError("Không tìm thấy khóa / no such key")
            keys.key_revoke(actor=None, key=found)
            self.stdout.write(f"Đã thu hồi / revoked {found.prefix}…")
