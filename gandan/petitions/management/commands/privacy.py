"""A citizen's personal data, for their requests under the Personal Data Protection Law:
`gandan privacy export --phone 0912345678 [--output file.json]` (or `--code PAKN.20260301.0001`)
writes all of it as JSON; `gandan privacy erase --phone … --reason "…" --yes` erases it and keeps the
concerns for the figures (petitions/privacy.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gandan.petitions import privacy


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # a property, so that the help is in the user's language
        return _("Dữ liệu cá nhân của một người dân: xuất ra hoặc xóa (theo số điện thoại hoặc mã phản ánh).")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("export", "erase"):
            action = sub.add_parser(name)
            who = action.add_mutually_exclusive_group(required=True)
            who.add_argument("--phone")
            who.add_argument("--code")
            if name == "export":
                action.add_argument("--output")
            else:
                action.add_argument("--reason", required=True)
                action.add_argument("--yes", action="store_true")

    def handle(self, *args, **options) -> None:
        concerns = privacy.citizen_concerns(phone=options["phone"] or "", code=options["code"] or "")
        count = concerns.count()
        if count == 0:
            raise CommandError(_("Không có phản ánh nào của người dân này."))
        if options["action"] == "export":
            text = json.dumps(privacy.export(concerns), ensure_ascii=False, indent=1)
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(ngettext("Đã xuất %(count)d phản ánh vào %(path)s",
                                           "Đã xuất %(count)d phản ánh vào %(path)s", count)
                                  % {"count": count, "path": options["output"]})
            else:
                self.stdout.write(text)
            return
        if not options["yes"]:
            raise CommandError(ngettext("Sẽ xóa dữ liệu cá nhân trong %(count)d phản ánh: chạy lại với --yes để xóa.",
                                        "Sẽ xóa dữ liệu cá nhân trong %(count)d phản ánh: chạy lại với --yes để xóa.",
                                        count) % {"count": count})
        erased = privacy.erase(actor=None, concerns=concerns, reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(ngettext(
            "Đã xóa dữ liệu cá nhân trong %(count)d phản ánh; các phản ánh vẫn được tính trong số liệu.",
            "Đã xóa dữ liệu cá nhân trong %(count)d phản ánh; các phản ánh vẫn được tính trong số liệu.",
            erased) % {"count": erased}))
