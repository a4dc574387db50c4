"""Atomic imports from CSV/XLSX: the engine every kind of import runs on.

Each import reads its file twice. The first pass validates every row — fields, codes, references
inside the importer's scope, duplicates in the file and in the database — and collects every error
with its line number. Only when there is none does the second pass write: bulk inserts in batches
(memory stays bounded for 100k+ rows), in one transaction, with one audit event. An import whose
rows nothing else in the file refers to (`bulk_path`: households) does both in one pass instead:
each batch is checked, then written while no row has been wrong, and the transaction is rolled back
at the end if any was, so the result is the same and the file is read once. An `Importer`
subclass says how one kind of row is parsed and checked; `run_import` drives it. Which paths an
importer may write under is decided by its caller (the rules of who may import live with the grants).

Every cell is also checked for Vietnamese typed in a legacy font encoding (TCVN3/ABC or VNI: see
core.legacy_text), which would otherwise be written as mojibake. By default such a cell is an error
naming its line, column and what it would become; with `convert_legacy=True` the engine converts those
cells to Unicode in both passes and lists them in `ImportResult.legacy`, so the caller can show them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.bulk import bulk_insert
from gandan.core.legacy_text import ENCODING_NAMES, find_legacy, reads_as_unicode
from gandan.core.tabular import Column, Row, Table, TabularError, parse_bool, parse_date, parse_int

if TYPE_CHECKING:
    from gandan.core.audit import Actor

BATCH = 1000
Progress = Callable[[int], None]
CODE_RE = re.compile(r"^[\w.\-/]+$")
PHONE_RE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class LegacyCell:
    """A cell typed in a legacy encoding: where, which encoding, what the file holds, its Unicode."""

    line: int
    field: str
    encoding: str
    old: str
    new: str

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]


LEGACY_KEPT = 200  # cells kept for a preview; the rest are counted


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    legacy: list[LegacyCell] = field(default_factory=list)  # the first LEGACY_KEPT, by line
    legacy_cells: int = 0  # all of them
    legacy_converted: bool = False  # True when they were converted, False when refused

    @property
    def legacy_rows(self) -> int:
        return len({cell.line for cell in self.legacy})

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """One kind of import: parse a row into an unsaved model instance, check batches, write them."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    model: ClassVar[type[models.Model]]
    # Rows that nothing else refers to in the same import go through COPY (core.bulk), not the ORM:
    # `parse` then returns a tuple of the values of `bulk_fields` (no model instance is built).
    bulk_path: ClassVar[bool] = False
    bulk_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.errors: list[RowError] = []
        self.provinces: set[int] = set()

    # -- hooks -----------------------------------------------------------------------------------
    def prefetch(self, rows: list[Row]) -> None:
        """Load, in a few queries, whatever `parse` will look up for this batch."""

    def parse(self, row: Row) -> models.Model | tuple[Any, ...] | None:
        raise NotImplementedError

    def check_batch(self, parsed: list[tuple[Row, Any]]) -> None:
        """Duplicates inside the file and against the database, for rows whose key fields parsed."""

    def finish(self) -> None:
        """Checks that need the whole file (e.g. references to later rows)."""

    def after_write(self) -> dict[str, int]:
        return {}

    def write_batch(self, values: list[tuple[Any, ...]]) -> None:
        """Write a checked batch of a `bulk_path` import (no row so far was wrong)."""
        bulk_insert(self.model, self.bulk_fields, values)

    def write_end(self) -> None:
        """After the last batch of a `bulk_path` import whose rows were all good: what `write_batch` left."""

    # -- field helpers: each records an error and returns an empty value when the cell is wrong ---
    def error(self, row: Row | int, column: str, message: str) -> None:
        self.errors.append(RowError(row if isinstance(row, int) else row.line, column, message))

    def text(self, row: Row, column: str, max_length: int, required: bool = False) -> str:
        value = row.get(column)
        if required and not value:
            self.error(row, column, _("Ô %(column)s bị bỏ trống; cột này bắt buộc") % {"column": column})
        elif len(value) > max_length:
            self.error(row, column, _("%(column)s dài quá %(count)d ký tự")
                       % {"column": column, "count": max_length})
            return ""
        return value

    def code(self, row: Row, column: str) -> str:
        value = self.text(row, column, 40, required=True)
        if value and not CODE_RE.match(value):
            self.error(row, column, _("Mã “%(value)s” chỉ được gồm chữ, số và . - / (không có dấu cách)")
                       % {"value": value})
            return ""
        return value

    def phone(self, row: Row, column: str) -> str:
        value = self.text(row, column, 30)
        if value and not PHONE_RE.match(value):
            self.error(row, column, _("“%(value)s” không phải số điện thoại") % {"value": value})
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


def legacy_message(cell: LegacyCell) -> str:
    return (_("Ô %(column)s có vẻ được gõ bằng bảng mã %(encoding)s: “%(old)s” sẽ thành “%(new)s” khi chuyển "
              "sang Unicode")
            % {"column": cell.field, "encoding": cell.encoding_name, "old": cell.old, "new": cell.new})


def _legacy_checked(rows: Iterator[Row], importer: Importer, result: ImportResult | None,
                    convert: bool) -> Iterator[Row]:
    """The rows, each legacy-encoded cell converted (convert) or reported as an error; `result` (the
    first pass only) collects the cells found."""
    for row in rows:
        foreign = [value for value in row.cells.values() if not value.isascii()]
        # Most rows: every cell is ASCII, or all their words read as Unicode Vietnamese (words are split
        # at spaces, so the cells joined by one read as each of them does): nothing to look at.
        if not foreign or reads_as_unicode(" ".join(foreign)):
            yield row
            continue
        changed: dict[str, str] = {}
        for column, value in row.cells.items():
            found = find_legacy(value) if value and not value.isascii() else None
            if found is None:
                continue
            changed[column] = found.converted
            if result is None:
                continue
            cell = LegacyCell(row.line, column, found.encoding, value, found.converted)
            result.legacy_cells += 1
            if len(result.legacy) < LEGACY_KEPT:
                result.legacy.append(cell)
            if not convert:
                importer.error(row, column, legacy_message(cell))
        yield Row(row.line, {**row.cells, **changed}) if changed and convert else row


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
               progress: Progress | None = None, check_only: bool = False,
               convert_legacy: bool = False) -> ImportResult:
    """Validate every row, then (only if all are good) write them all with one audit event. Cells typed
    in a legacy encoding are errors, or with `convert_legacy` are converted to Unicode and listed."""
    result = ImportResult(kind=importer.kind, file_name=name, errors=importer.errors,
                          legacy_converted=convert_legacy)
    tick = progress or (lambda n: None)
    try:
        with Table(source, name, importer.columns) as table:
            if importer.bulk_path and not check_only:
                _one_pass(importer, table, result, actor, tick, convert_legacy)
                return _sorted(result)
            for batch in _batches(_legacy_checked(table.rows(), importer, result, convert_legacy)):
                importer.prefetch(batch)
                parsed = [(row, importer.parse(row)) for row in batch]
                importer.check_batch([(row, obj) for row, obj in parsed if obj is not None])
                result.rows += len(batch)
                tick(len(batch))
            importer.finish()
            if result.rows == 0 and not importer.errors:
                importer.error(2, "", _("Tệp không có dòng dữ liệu nào"))
            if importer.errors or check_only:
                return _sorted(result)
            _write(importer, table, result, actor, tick, convert_legacy)
    except TabularError as exc:
        importer.error(exc.line, exc.field, str(exc))
    except IntegrityError:
        importer.error(0, "", _("Dữ liệu vừa bị thay đổi trong lúc nhập (mã trùng); không có gì được ghi, hãy "
                                "nhập lại"))
    return _sorted(result)


def _sorted(result: ImportResult) -> ImportResult:
    result.errors.sort(key=lambda e: e.line)
    return result


def _write(importer: Importer, table: Table, result: ImportResult, actor: Actor, tick: Progress,
           convert_legacy: bool) -> None:
    created = 0
    with transaction.atomic():
        for batch in _batches(_legacy_checked(table.rows(), importer, None, convert_legacy)):
            importer.prefetch(batch)
            parsed = [importer.parse(row) for row in batch]
            objs: list[Any] = [obj for obj in parsed if obj is not None]  # instances, or tuples (bulk_path)
            if importer.errors or len(objs) < len(parsed):
                raise RuntimeError("a row that passed validation failed when written")
            if importer.bulk_path:
                bulk_insert(importer.model, importer.bulk_fields, objs)
            else:
                importer.model._default_manager.bulk_create(objs, batch_size=BATCH)
            created += len(objs)
            tick(len(batch))
        _written(importer, result, actor, created)


class _Refused(Exception):
    """Raised inside a one-pass import's transaction to roll back what it wrote once a row was wrong."""


def _one_pass(importer: Importer, table: Table, result: ImportResult, actor: Actor, tick: Progress,
              convert_legacy: bool) -> None:
    """Rows that nothing else in the file refers to (`bulk_path`) are checked and written in the same
    pass, inside one transaction: after the first error the rest is only checked, and the transaction
    is rolled back, so nothing is written unless every row is good, as with two passes, but the file is
    read and parsed once (twice as fast: bench/imports.py)."""
    created = 0
    try:
        with transaction.atomic():
            for batch in _batches(_legacy_checked(table.rows(), importer, result, convert_legacy)):
                importer.prefetch(batch)
                parsed = [(row, importer.parse(row)) for row in batch]
                good: list[tuple[Row, Any]] = [(row, obj) for row, obj in parsed if obj is not None]
                importer.check_batch(good)
                result.rows += len(batch)
                if not importer.errors:
                    importer.write_batch([values for _row, values in good])
                    created += len(good)
                tick(2 * len(batch))  # the work of both passes (callers count rows × 2)
            importer.finish()
            if result.rows == 0 and not importer.errors:
                importer.error(2, "", _("Tệp không có dòng dữ liệu nào"))
            if importer.errors:
                raise _Refused
            importer.write_end()
            _written(importer, result, actor, created)
    except _Refused:
        result.created = {}


def _written(importer: Importer, result: ImportResult, actor: Actor, created: int) -> None:
    """The counts and the one audit event of an import whose rows are all written (in its transaction)."""
    result.created = {importer.kind: created, **importer.after_write()}
    province_id = next(iter(importer.provinces)) if len(importer.provinces) == 1 else None
    audit.record(actor=actor, action=f"import.{importer.kind}",
                 object_type=importer.model._meta.label_lower, province_id=province_id,
                 after={"file": result.file_name, "rows": result.rows, "created": result.created,
                        **({"converted_from_legacy": result.legacy_cells} if result.legacy_cells else {})})
