from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core import backup


class Command(BaseCommand):
    help = gettext_lazy("Khôi phục cơ sở dữ liệu từ một tệp của `gandan backup` (thay toàn bộ dữ liệu hiện có), "  # type: ignore[assignment]  # Django reads it when it builds the parser
                        "rồi đối chiếu số dòng với bản kê và kiểm tra chuỗi nhật ký.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help=gettext_lazy("tệp sao lưu"))

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        try:
            manifest, counts = backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(counts.values())
        self.stdout.write(_("Đã khôi phục %(tables)d bảng, %(rows)d dòng từ %(path)s") % {
            "tables": len(counts), "rows": rows, "path": path})
        if manifest is None:
            self.stdout.write(self.style.WARNING(_("Không có bản kê số dòng bên cạnh tệp: chưa đối chiếu được.")))
        else:
            wrong = backup.differences(manifest, counts)
            if wrong:
                raise CommandError(_("Số dòng sau khi khôi phục khác bản sao lưu: %(tables)s")
                                   % {"tables": "; ".join(wrong)})
            self.stdout.write(self.style.SUCCESS(_("Số dòng từng bảng khớp bản sao lưu.")))
        call_command("audit", "verify", verbosity=0, stdout=self.stdout, stderr=self.stderr)
