"""`gandan import-units FILE --province 08`: villages from .xlsx/.csv, all or nothing.

`ImportCommand` is shared by import-households and import-cadres: the system imports (actor=None)
within the one province it is given, shows a progress bar over both passes (check, then write),
and on bad input prints every error with its line and exits non-zero, having written nothing. Cells
typed in a legacy encoding (TCVN3/ABC, VNI) are such errors; `--convert-legacy` converts them to
Unicode and prints each cell converted (line, column, old → new).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gandan.core.imports import ImportResult
from gandan.core.progress import progress_bar
from gandan.core.tabular import Column, Table, TabularError
from gandan.org.imports import VILLAGE_COLUMNS, village_import
from gandan.org.models import AdminUnit


class ImportCommand(BaseCommand):
    label: str | Promise = gettext_lazy("thôn, bản")
    columns: tuple[Column, ...] = VILLAGE_COLUMNS
    service: Callable[..., ImportResult] = staticmethod(village_import)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("tệp .xlsx hoặc .csv (UTF-8)"))
        parser.add_argument("--province", required=True, help=_("mã tỉnh, ví dụ 08"))
        parser.add_argument("--check", action="store_true",
                            help=_("chỉ kiểm tra, không ghi"))
        parser.add_argument("--convert-legacy", action="store_true",
                            help=_("chuyển ô gõ bằng bảng mã TCVN3 (ABC) hoặc VNI sang Unicode"))

    def handle(self, *args: Any, **options: Any) -> None:
        province = _province(options["province"])
        path = options["file"]
        name = os.path.basename(path)
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, after both passes
        except OSError as exc:
            raise CommandError(_("Không mở được tệp %(path)s: %(reason)s")
                               % {"path": path, "reason": exc.strerror}) from exc
        with source, progress_bar(_total(source, name, self.columns), self.label,
                                  enabled=options["verbosity"] > 0) as bar:
            result = self.service(actor=None, paths=[province.path], source=source, name=name,
                                  progress=bar.update, check_only=options["check"],
                                  convert_legacy=options["convert_legacy"])
        if result.legacy_cells and result.legacy_converted:
            self._converted(result)
        if not result.ok:
            for error in result.errors:
                where = _("Dòng %(line)s") % {"line": error.line} if error.line else _("Tệp")
                self.stderr.write(f"{where} [{error.field or '-'}]: {error.message}")
            count = len(result.errors)
            if result.legacy_cells and not result.legacy_converted:
                self.stderr.write(ngettext(
                    "%(count)d ô gõ bằng bảng mã cũ: chạy lại với --convert-legacy để chuyển sang Unicode",
                    "%(count)d ô gõ bằng bảng mã cũ: chạy lại với --convert-legacy để chuyển sang Unicode",
                    result.legacy_cells) % {"count": result.legacy_cells})
            raise CommandError(ngettext("%(count)d lỗi; không có gì được ghi", "%(count)d lỗi; không có gì được ghi",
                                         count) % {"count": count})
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(ngettext(
                "Tệp hợp lệ: %(rows)d dòng; chưa ghi gì (--check)", "Tệp hợp lệ: %(rows)d dòng; chưa ghi gì (--check)",
                result.rows) % {"rows": result.rows}))
            return
        counts = ", ".join(f"{key}: {value}" for key, value in result.created.items())
        self.stdout.write(self.style.SUCCESS(ngettext(
            "Đã nhập %(rows)d dòng từ %(name)s (%(counts)s)", "Đã nhập %(rows)d dòng từ %(name)s (%(counts)s)",
            result.rows) % {"rows": result.rows, "name": name, "counts": counts}))


    def _converted(self, result: ImportResult) -> None:
        for cell in result.legacy:
            where = _("Dòng %(line)s") % {"line": cell.line}
            self.stdout.write(f"{where} [{cell.field}] {cell.encoding_name}: {cell.old} → {cell.new}")
        more = result.legacy_cells - len(result.legacy)
        if more:
            self.stdout.write(ngettext("… và %(count)d ô khác", "… và %(count)d ô khác", more) % {"count": more})
        self.stdout.write(ngettext("Đã chuyển %(count)d ô sang Unicode", "Đã chuyển %(count)d ô sang Unicode",
                                   result.legacy_cells) % {"count": result.legacy_cells})


def _province(code: str) -> AdminUnit:
    code = code.zfill(2) if code.isdigit() else code
    province = AdminUnit.objects.filter(level__code="province", code=code).first()
    if province is None:
        raise CommandError(_("Không có tỉnh mã %(code)s") % {"code": code})
    return province


def _total(source: Any, name: str, columns: tuple[Column, ...]) -> int | None:
    """Rows × 2 passes, when the file says how many rows it has."""
    try:
        with Table(source, name, columns) as table:
            rows = table.estimated_rows
    except TabularError:
        return None
    return None if rows is None else 2 * rows


class Command(ImportCommand):
    help = gettext_lazy("Nhập thôn, bản, tổ dân phố từ tệp .xlsx/.csv, trọn gói")  # type: ignore[assignment]  # Django reads it when it builds the parser
