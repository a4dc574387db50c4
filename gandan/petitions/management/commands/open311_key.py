"""`gandan open311-key create --province 08 --name "Ứng dụng X"` prints a new key once;
`gandan open311-key list` and `gandan open311-key revoke PREFIX` manage them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.org.models import AdminUnit
from gandan.petitions import keys


class Command(BaseCommand):
    help = gettext_lazy("Khóa API cho ứng dụng Open311 (tạo, liệt kê, thu hồi)")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--province", required=True, help=_("mã tỉnh, ví dụ 08"))
        create.add_argument("--name", required=True, help=_("tên ứng dụng"))
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help=_("các ký tự đầu của khóa"))

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            province = AdminUnit.objects.filter(level__code="province", code=options["province"]).first()
            if province is None:
                raise CommandError(_("Không có tỉnh mã %(code)s") % {"code": options["province"]})
            try:
                key, plaintext = keys.key_create(actor=None, province=province, name=options["name"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(
                _("Đã tạo khóa “%(name)s” cho %(province)s. Khóa chỉ hiện một lần:")
                % {"name": key.name, "province": province.name}))
            self.stdout.write(plaintext)
        elif action == "list":
            for key in keys.client_keys():
                state = _("thu hồi") if key.revoked_at else _("hiệu lực")
                self.stdout.write(f"{key.prefix}…  {key.name}  {key.open311_client.province.name}  {state}")
        else:
            found = keys.client_keys().filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(_("Không tìm thấy khóa"))
            keys.key_revoke(actor=None, key=found)
            self.stdout.write(_("Đã thu hồi %(prefix)s…") % {"prefix": found.prefix})
