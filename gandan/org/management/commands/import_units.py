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

from gandan.core.imports import ImportResult
from gandan.core.progress import progress_bar
from gandan.core.tabular import Column, Table, TabularError
from gandan.org.imports import VILLAGE_COLUMNS, village_import
from gandan.org.models import AdminUnit


class ImportCommand(BaseCommand):
    label = "thôn, bản / villages"
    columns: tuple[Column, ...] = VILLAGE_COLUMNS
    service: Callable[..., ImportResult] = staticmethod(village_import)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv (UTF-8) / an .xlsx or UTF-8 .csv file")
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ 08 / province code, e.g. 08")
        parser.add_argument("--check", action="store_true",
                            help="chỉ kiểm tra, không ghi / validate only, write nothing")
        parser.add_argument("--convert-legacy", action="store_true",
                            help="chuyển ô gõ bằng bảng mã TCVN3 (ABC) hoặc VNI sang Unicode / convert cells "
                                 "typed in TCVN3 (ABC) or VNI to Unicode")

    def handle(self, *args: Any, **options: Any) -> None:
        province = _province(options["province"])
        path = options["file"]
        name = os.path.basename(path)
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, after both passes
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {path} / cannot open {path}: {exc.strerror}") from exc
        with source, progress_bar(_total(source, name, self.columns), self.label,
                                  enabled=options["verbosity"] > 0) as bar:
            result = self.service(actor=None, paths=[province.path], source=source, name=name,
                                  progress=bar.update, check_only=options["check"],
                                  convert_legacy=options["convert_legacy"])
        if result.legacy_cells and result.legacy_converted:
            self._converted(result)
        if not result.ok:
            for error in result.errors:
                where = f"Dòng {error.line}" if error.line else "Tệp"
                self.stderr.write(f"{where} [{error.field or '-'}]: {error.message}")
            count = len(result.errors)
            if result.legacy_cells and not result.legacy_converted:
                self.stderr.write(f"{result.legacy_cells} ô gõ bằng bảng mã cũ: chạy lại với --convert-legacy để "
                                  f"chuyển sang Unicode / {result.legacy_cells} cells typed in a legacy encoding: "
                                  f"run again with --convert-legacy to convert them to Unicode")
            raise CommandError(f"{count} lỗi; không có gì được ghi / {count} errors; nothing was written")
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ: {result.rows} dòng; chưa ghi gì (--check) / "
                                                 f"the file is valid: {result.rows} rows; nothing written"))
            return
        counts = ", ".join(f"{key}: {value}" for key, value in result.created.items())
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {result.rows} dòng từ {name} / imported "
                                             f"{result.rows} rows ({counts})"))


    def _converted(self, result: ImportResult) -> None:
        for cell in result.legacy:
            self.stdout.write(f"Dòng {cell.line} [{cell.field}] {cell.encoding_name}: {cell.old} → {cell.new}")
        more = result.legacy_cells - len(result.legacy)
        if more:
            self.stdout.write(f"… và {more} ô khác / and {more} more cells")
        self.stdout.write(f"Đã chuyển {result.legacy_cells} ô sang Unicode / converted {result.legacy_cells} cells "
                          f"to Unicode")


def _province(code: str) -> AdminUnit:
    code = code.zfill(2) if code.isdigit() else code
    province = AdminUnit.objects.filter(level__code="province", code=code).first()
    if province is None:
        raise CommandError(f"Không có tỉnh mã {code} / no province with code {code}")
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
    help = "Nhập thôn, bản, tổ dân phố từ tệp .xlsx/.csv, trọn gói / import villages, all or nothing"
