"""Household imports (issue 15): the CSV import against a raw COPY into a staging table and one
INSERT … SELECT on the same rows, interleaved, medians; the XLSX import's rate; and the peak memory
of an XLSX import at two input sizes (each in a forked process whose high-water mark is reset before
it starts, so the figure is what the import itself added).
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HEADER = ["ma_ho", "chu_ho", "ma_thon", "dia_chi", "dien_thoai"]


def _province_and_villages() -> tuple[Any, list[str]]:
    from gandan.org.models import AdminUnit, Household

    province = AdminUnit.objects.get(pk=Household.objects.values_list("province_id", flat=True)[:1].get())
    villages = list(AdminUnit.objects.filter(province=province, level__code="village").values_list("code", flat=True))
    return province, villages


def _rows(prefix: str, rows: int, villages: list[str]) -> list[list[str]]:
    return [[f"{prefix}{i:07d}", f"Nguyễn Văn {i}", villages[i % len(villages)], f"Xóm {i % 40}", f"0912{i:06d}"]
            for i in range(rows)]


def csv_bytes(prefix: str, rows: int, villages: list[str]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in _rows(prefix, rows, villages)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_file(prefix: str, rows: int, villages: list[str], folder: str) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in _rows(prefix, rows, villages):
        sheet.append(row)
    path = Path(folder) / f"{prefix}.xlsx"
    book.save(path)
    return path


def _prefix(tag: str) -> str:
    return f"{tag}{uuid.uuid4().hex[:6]}-"


def _import(province: Any, data: bytes | Path, name: str) -> float:
    from gandan.org.imports import household_import

    source = open(data, "rb") if isinstance(data, Path) else io.BytesIO(data)  # noqa: SIM115  # closed below
    try:
        t0 = time.perf_counter()
        result = household_import(actor=None, paths=[province.path], source=source, name=name)
        elapsed = time.perf_counter() - t0
    finally:
        source.close()
    if result.errors:
        raise AssertionError(f"the bench's import was refused: {result.errors[:3]}")
    return elapsed


def _raw_copy(province: Any, data: bytes) -> float:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE staging (ma_ho text, chu_ho text, ma_thon text, dia_chi text,"
                       " dien_thoai text) ON COMMIT DROP")
        with cursor.cursor.copy("COPY staging FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        cursor.execute(
            "INSERT INTO org_household (province_id, village_id, code, head_name, head_name_folded, address,"
            " phone, members, created_at, updated_at)"
            " SELECT %s, u.id, s.ma_ho, s.chu_ho, lower(s.chu_ho), s.dia_chi, s.dien_thoai, NULL, now(), now()"
            " FROM staging s JOIN org_adminunit u ON u.code = s.ma_thon AND u.province_id = %s",
            [province.pk, province.pk])
    return time.perf_counter() - t0


def _peak_worker(queue: Any, province_pk: int, path: str) -> None:
    """In a forked process: reset the high-water mark, import, report the peak above the start."""
    from django.db import connections

    from gandan.org.models import AdminUnit

    connections.close_all()
    province = AdminUnit.objects.get(pk=province_pk)

    def status(field: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
        return 0

    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    start = status("VmRSS")
    seconds = _import(province, Path(path), "ho.xlsx")
    queue.put({"start_kb": start, "peak_kb": status("VmHWM"), "seconds": seconds})


def _peak(province: Any, path: Path) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_peak_worker, args=(queue, province.pk, str(path)))
    proc.start()
    found = queue.get()
    proc.join()
    return found


def measure_import(rounds: int, rows: int = 20_000, xlsx_rows: int = 10_000,
                   memory_rows: tuple[int, int] = (10_000, 40_000)) -> dict[str, Any]:
    province, villages = _province_and_villages()
    runs: dict[str, list[float]] = {"csv_import": [], "raw_copy": [], "xlsx_import": []}
    with tempfile.TemporaryDirectory(prefix="gandan-bench-") as folder:
        for _round in range(rounds):  # interleaved: the reference, then the candidates, each round
            runs["raw_copy"].append(rows / _raw_copy(province, csv_bytes(_prefix("RC"), rows, villages)))
            runs["csv_import"].append(rows / _import(province, csv_bytes(_prefix("IM"), rows, villages), "ho.csv"))
            book = xlsx_file(_prefix("XL"), xlsx_rows, villages, folder)
            runs["xlsx_import"].append(xlsx_rows / _import(province, book, "ho.xlsx"))
            book.unlink()
        memory = {}
        for size in memory_rows:
            book = xlsx_file(_prefix("XM"), size, villages, folder)
            found = _peak(province, book)
            memory[str(size)] = {"file_bytes": os.path.getsize(book), "rows_per_s": size / found["seconds"],
                                 "peak_rss_mb": found["peak_kb"] / 1024,
                                 "added_mb": (found["peak_kb"] - found["start_kb"]) / 1024}
            book.unlink()
    summary: dict[str, Any] = {k: statistics.median(v) for k, v in runs.items()}
    summary["ratio"] = summary["csv_import"] / summary["raw_copy"] if summary["raw_copy"] else 0.0
    summary.update(rows=rows, xlsx_rows=xlsx_rows, rounds=runs, xlsx_memory=memory)
    return summary
