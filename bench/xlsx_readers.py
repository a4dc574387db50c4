"""XLSX readers side by side (issue 15): openpyxl's read-only reader (the reference), the streaming
expat reader of gandan/core/xlsx_rows.py, and python-calamine when it is installed (it is not a
dependency: `pip install python-calamine` to compare). Each file is read by every reader in turn,
`ROUNDS` rounds, medians; the values are first checked equal to openpyxl's; then the RSS each reader
adds at 10,000 and 40,000 rows, in a forked process whose high-water mark is reset first.

    N=10000 ROUNDS=3 GANDAN_ENV=test .venv/bin/python -m bench.xlsx_readers
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HEADER = ["ma_ho", "chu_ho", "ma_thon", "dia_chi", "dien_thoai", "nhan_khau", "ngay"]


def _rows(count: int) -> Iterator[list[Any]]:
    for i in range(count):
        yield [f"IM{i:07d}", f"Nguyễn Văn {i}", f"{i % 300:07d}", f"Xóm {i % 40}", f"0912{i:06d}", i % 9 + 1,
               dt.date(2025, 1, 1) + dt.timedelta(days=i % 300)]


def inline_file(count: int, path: Path) -> None:
    """As the app's exports write it: inline strings."""
    from gandan.core.tabular import xlsx

    path.write_bytes(xlsx("x", HEADER, _rows(count)))


def shared_file(count: int, path: Path) -> None:
    """As openpyxl (and Excel) write it: shared strings."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in _rows(count):
        sheet.append(row)
    book.save(path)


def read_openpyxl(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # type: ignore[union-attr]  # a read-only sheet
    for cells in sheet.iter_rows(values_only=True):
        yield list(cells)
    book.close()


def read_streamed(path: Path) -> Iterator[list[Any]]:
    from gandan.core.xlsx_rows import XlsxRows

    with open(path, "rb") as source:
        reader = XlsxRows(source)
        for _number, cells in reader.rows():
            yield cells
        reader.close()


def read_calamine(path: Path) -> Iterator[list[Any]]:
    import python_calamine

    with open(path, "rb") as source:
        book = python_calamine.CalamineWorkbook.from_filelike(source)
        for cells in book.get_sheet_by_index(0).iter_rows():
            yield list(cells)
        book.close()


READERS: dict[str, Callable[[Path], Iterator[list[Any]]]] = {"openpyxl": read_openpyxl, "streamed": read_streamed}
try:
    import python_calamine  # noqa: F401  # only to know whether it is there

    READERS["calamine"] = read_calamine
except ImportError:
    pass


def _same(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _values(rows: Iterator[list[Any]], width: int) -> list[list[Any]]:
    return [[_same(v) for v in cells] + [None] * (width - len(cells)) for cells in rows]


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _peak_worker(queue: Any, name: str, path: str) -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    start = _status("VmRSS")
    for _cells in READERS[name](Path(path)):  # read without keeping the rows
        pass
    queue.put((_status("VmHWM") - start) / 1024)


def _peak(name: str, path: Path) -> float:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_peak_worker, args=(queue, name, str(path)))
    proc.start()
    found = float(queue.get())
    proc.join()
    return found


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    django.setup()
    count, rounds = int(os.environ.get("N", "10000")), int(os.environ.get("ROUNDS", "3"))
    with tempfile.TemporaryDirectory(prefix="gandan-bench-") as folder:
        path = Path(folder) / "f.xlsx"
        for kind, make in (("inline strings (the app's exports)", inline_file),
                           ("shared strings (openpyxl, Excel)", shared_file)):
            make(count, path)
            reference = _values(read_openpyxl(path), len(HEADER))
            for name, read in READERS.items():
                if _values(read(path), len(HEADER)) != reference:
                    raise AssertionError(f"{name} reads other values than openpyxl")
            rates: dict[str, list[float]] = {name: [] for name in READERS}
            for _round in range(rounds):  # interleaved
                for name, read in READERS.items():
                    t0 = time.perf_counter()
                    for _cells in read(path):
                        pass
                    rates[name].append(count / (time.perf_counter() - t0))
            medians = {name: statistics.median(v) for name, v in rates.items()}
            print(f"{kind}, {count:,} rows, rows/s (median of {rounds}) and ratio to openpyxl:")
            for name, rate in medians.items():
                print(f"  {name:10} {rate:10,.0f}  {rate / medians['openpyxl']:5.1f}")
            for size in (10_000, 40_000):
                make(size, path)
                added = {name: f"{_peak(name, path):.1f}" for name in READERS}
                print(f"  RSS added at {size:,} rows ({os.path.getsize(path):,} bytes), MB: {added}")
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()
