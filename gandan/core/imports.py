"""Atomic imports from CSV/XLSX: the engine every kind of import runs on.

Each import reads its file twice. The first pass validates every row — fields, codes, references
inside the importer's scope, duplicates in the file and in the database — and collects every error
with its line number. Only when there is none does the second pass write: bulk inserts in batches
(memory stays bounded for 100k+ rows), in one transaction, with one audit event. An `Importer`
subclass says how one kind of row is parsed and checked; `run_import` drives it. Which paths an
importer may write under is decided by its caller (the rules of who may import live with the grants).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.db import IntegrityError, models, transaction

from gandan.core import audit
from gandan.core.bulk import insert_objects
from gandan.core.tabular import Column, Row, Table, TabularError, parse_bool, parse_date, parse_int

if TYPE_CHECKING:
    from gandan.core.audit import Actor

BATCH = 1000
Progress = Callable[[int], None]
_CODE = re.compile(r"^[\w.\-/]+$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """One kind of import: parse a row into an unsaved model instance, check batches, write them."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    model: ClassVar[type[models.Model]]
    # Rows that nothing else refers to in the same import go through COPY (core.bulk), not the ORM.
    bulk_path: ClassVar[bool] = False

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.errors: list[RowError] = []
        self.provinces: set[int] = set()

    # -- hooks -----------------------------------------------------------------------------------
    def prefetch(self, rows: list[Row]) -> None:
        """Load, in a few queries, whatever `parse` will look up for this batch."""

    def parse(self, row: Row) -> models.Model | None:
        raise NotImplementedError

    def check_batch(self, parsed: list[tuple[Row, Any]]) -> None:
        """Duplicates inside the file and against the database, for rows whose key fields parsed."""

    def finish(self) -> None:
        """Checks that need the whole file (e.g. references to later rows)."""

    def after_write(self) -> dict[str, int]:
        return {}

    # -- field helpers: each records an error and returns an empty value when the cell is wrong ---
    def error(self, row: Row | int, column: str, message: str) -> None:
        self.errors.append(RowError(row if isinstance(row, int) else row.line, column, message))

    def text(self, row: Row, column: str, max_length: int, required: bool = False) -> str:
        value = row.get(column)
        if required and not value:
            self.error(row, column, f"Ô {column} bị bỏ trống; cột này bắt buộc / {column} is empty; "
                                    f"it is required")
        elif len(value) > max_length:
            self.error(row, column, f"{column} dài quá {max_length} ký tự / {column} is longer than "
                                    f"{max_length} characters")
            return ""
        return value

    def code(self, row: Row, column: str) -> str:
        value = self.text(row, column, 40, required=True)
        if value and not _CODE.match(value):
            self.error(row, column, f"Mã \"{value}\" chỉ được gồm chữ, số và . - / (không có dấu cách) / "
                                    f"a code may hold only letters, digits and . - / (no spaces)")
            return ""
        return value

    def phone(self, row: Row, column: str) -> str:
        value = self.text(row, column, 30)
        if value and not _PHONE.match(value):
            self.error(row, column, f"\"{value}\" không phải số điện thoại / is not a phone number")
            return ""
        return value

    def parsed(self, row: Row, column: str, parser: Callable[[str], Any]) -> Any:
        value = row.get(column)
        if not value:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.error(row, column, str(exc))
            return None

    def date(self, row: Row, column: str) -> dt.date | None:
        return self.parsed(row, column, parse_date)

    def integer(self, row: Row, column: str, low: int, high: int) -> int | None:
        return self.parsed(row, column, lambda v: parse_int(v, low, high))

    def boolean(self, row: Row, column: str) -> bool:
        return bool(self.parsed(row, column, parse_bool))


def _batches(rows: Iterator[Row]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def run_import(importer: Importer, *, actor: Actor, source: IO[bytes], name: str,
               progress: Progress | None = None, check_only: bool = False) -> ImportResult:
    """Validate every row, then (only if all are good) write them all with one audit event."""
    result = ImportResult(kind=importer.kind, file_name=name, errors=importer.errors)
    tick = progress or (lambda n: None)
    try:
        with Table(source, name, importer.columns) as table:
            for batch in _batches(table.rows()):
                importer.prefetch(batch)
                parsed = [(row, importer.parse(row)) for row in batch]
                importer.check_batch([(row, obj) for row, obj in parsed if obj is not None])
                result.rows += len(batch)
                tick(len(batch))
            importer.finish()
            if result.rows == 0 and not importer.errors:
                importer.error(2, "", "Tệp không có dòng dữ liệu nào / the file has no data rows")
            if importer.errors or check_only:
                return _sorted(result)
            _write(importer, table, result, actor, tick)
    except TabularError as exc:
        importer.error(exc.line, exc.field, str(exc))
    except IntegrityError:
        importer.error(0, "", "Dữ liệu vừa bị thay đổi trong lúc nhập (mã trùng); không có gì được ghi, hãy "
                              "nhập lại / the data changed during the import (duplicate code); nothing was "
                              "written, please try again")
    return _sorted(result)


def _sorted(result: ImportResult) -> ImportResult:
    result.errors.sort(key=lambda e: e.line)
    return result


def _write(importer: Importer, table: Table, result: ImportResult, actor: Actor, tick: Progress) -> None:
    created = 0
    with transaction.atomic():
        for batch in _batches(table.rows()):
            importer.prefetch(batch)
            parsed = [importer.parse(row) for row in batch]
            objs = [obj for obj in parsed if obj is not None]
            if importer.errors or len(objs) < len(parsed):
                raise RuntimeError("a row that passed validation failed when written")
            if importer.bulk_path:
                insert_objects(importer.model, objs)
            else:
                importer.model._default_manager.bulk_create(objs, batch_size=BATCH)
            created += len(objs)
            tick(len(batch))
        result.created = {importer.kind: created, **importer.after_write()}
        province_id = next(iter(importer.provinces)) if len(importer.provinces) == 1 else None
        audit.record(actor=actor, action=f"import.{importer.kind}",
                     object_type=importer.model._meta.label_lower, province_id=province_id,
                     after={"file": result.file_name, "rows": result.rows, "created": result.created})
