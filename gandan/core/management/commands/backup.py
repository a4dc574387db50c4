from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core import backup


class Command(BaseCommand):
    help = gettext_lazy("Sao lưu toàn bộ cơ sở dữ liệu vào một tệp (PostgreSQL: pg_dump; SQLite: sao lưu trực "  # type: ignore[assignment]  # Django reads it when it builds the parser
                        "tuyến), kèm bản kê số dòng từng bảng.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help=gettext_lazy("tệp sao lưu; mặc định var/backups/gandan-<giờ>"))

    def handle(self, *args, **options) -> None:
        path = Path(options["path"]) if options["path"] else backup.default_path()
        try:
            manifest = backup.backup(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã sao lưu %(tables)d bảng, %(rows)d dòng vào %(path)s") % {
            "tables": len(manifest.counts), "rows": manifest.rows, "path": path}))
