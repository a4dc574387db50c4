"""Atomic imports from CSV/XLSX: villages and households here, cadres in people/imports.py.

Each import reads its file twice. The first pass validates every row — fields, codes, the parent
unit inside the importer's scope, duplicates in the file and in the database — and collects every
error with its line number. Only when there is none does the second pass write: bulk inserts in
batches (memory stays bounded for 100k+ rows), in one transaction, with one audit event. A parent
the importer may not administer is reported exactly as a missing one, so that nothing leaks.

Who may import: a user holding the unit-admin role, under the units of that grant; the system
(CLI, actor=None) under the one province it is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction

from gandan.core import audit, scoping
from gandan.core.bulk import insert_objects
from gandan.core.tabular import Column, Row, Table, TabularError, parse_bool, parse_date, parse_int
from gandan.core.text import fold
from gandan.org.models import PATH_SEP, AdminUnit, Household
from gandan.org.services import levels_ensure
from gandan.people.models import Role

BATCH = 1000
Progress = Callable[[int], None]
LEVEL_WORDS = {"province": ("tỉnh", "province"), "district": ("huyện", "district"),
               "commune": ("xã", "commune"), "village": ("thôn", "village")}
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


class UnitRef(NamedTuple):
    id: int
    code: str
    path: str
    depth: int
    province_id: int
    level: str
    valid_to: dt.date | None


def import_paths(actor: Any, province: AdminUnit | None = None) -> list[str]:
    """Unit paths an import may write under: the actor's unit-admin grants (bounded by `province`),
    or, for the system (actor=None), the whole of the province it must be given."""
    if actor is None:
        if province is None:
            raise ValueError("Nhập bởi hệ thống cần chỉ rõ tỉnh / a system import needs a province")
        return [province.path]
    paths = scoping.scope_paths(actor, [Role.UNIT_ADMIN])
    if province is not None:
        if scoping.covers(actor, province.path, [Role.UNIT_ADMIN]):
            return [province.path]
        paths = [p for p in paths if p.startswith(province.path + PATH_SEP)]
    return paths


def may_import(user: Any) -> bool:
    return bool(scoping.scope_paths(user, [Role.UNIT_ADMIN]))


def paths_or_refuse(actor: Any, province: AdminUnit | None) -> list[str]:
    paths = import_paths(actor, province)
    if not paths:
        raise PermissionDenied("Bạn không có quyền quản trị đơn vị để nhập dữ liệu / you hold no unit-admin "
                               "role to import with")
    return paths


def commune_code(text: str) -> str:
    """Official commune codes have 5 digits; Excel drops leading zeros from numbers ("70" → "00070")."""
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


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
        self._units: dict[str, list[UnitRef]] = {}

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

    # -- units in scope --------------------------------------------------------------------------
    def prefetch_units(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c and c not in self._units}
        if not wanted:
            return
        for code in wanted:
            self._units[code] = []
        rows = (AdminUnit.objects.filter(code__in=wanted).filter(scoping.path_q(self.paths))
                .values_list("id", "code", "path", "depth", "province_id", "level__code", "valid_to"))
        for values in rows:
            ref = UnitRef(*values)
            self._units[ref.code].append(ref)

    def unit(self, row: Row, column: str, code: str, level: str) -> UnitRef | None:
        """The unit of `level` with this code inside the scope; missing and forbidden look the same."""
        candidates = self._units.get(code, [])
        match = next((u for u in candidates if u.level == level), None)
        vi, en = LEVEL_WORDS[level]
        if match is not None:
            if match.valid_to is not None and match.valid_to <= dt.date.today():
                self.error(row, column, f"{vi.capitalize()} mã {code} không còn hiệu lực (đã sáp nhập "
                                        f"hoặc giải thể); hãy dùng đơn vị mới / the {en} {code} no longer "
                                        f"exists; use its successor")
                return None
            return match
        if candidates:
            other = candidates[0].level
            other_vi, other_en = LEVEL_WORDS.get(other, (other, other))
            self.error(row, column, f"Mã {code} là {other_vi}, không phải {vi} / code {code} is a "
                                    f"{other_en}, not a {en}")
        else:
            self.error(row, column, f"Không tìm thấy {vi} có mã {code} trong phạm vi bạn quản trị / no {en} "
                                    f"with code {code} in the units you administer")
        return None


def _batches(rows: Iterator[Row]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def run_import(importer: Importer, *, actor: Any, source: IO[bytes], name: str,
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


def _write(importer: Importer, table: Table, result: ImportResult, actor: Any, tick: Progress) -> None:
    created = 0
    with transaction.atomic():
        for batch in _batches(table.rows()):
            importer.prefetch(batch)
            objs = [importer.parse(row) for row in batch]
            if importer.errors or any(obj is None for obj in objs):
                raise RuntimeError("a row that passed validation failed when written")
            if importer.bulk_path:
                insert_objects(importer.model, objs)
            else:
                importer.model.objects.bulk_create(objs, batch_size=BATCH)
            created += len(objs)
            tick(len(batch))
        result.created = {importer.kind: created, **importer.after_write()}
        province_id = next(iter(importer.provinces)) if len(importer.provinces) == 1 else None
        audit.record(actor=actor, action=f"import.{importer.kind}",
                     object_type=importer.model._meta.label_lower, province_id=province_id,
                     after={"file": result.file_name, "rows": result.rows, "created": result.created})


# -- villages ------------------------------------------------------------------------------------
VILLAGE_COLUMNS = (
    Column("ma_thon", "code", True, "Mã thôn, bản, tổ dân phố; chưa có trong hệ thống",
           "Village code; must not exist yet", "0007001"),
    Column("ten_thon", "name", True, "Tên thôn, viết đủ dấu", "Village name, with diacritics",
           "Thôn Nậm Lìn"),
    Column("loai", "division_type", True, "Loại: thôn, bản, ấp, tổ dân phố, khu phố…",
           "Kind: thôn, bản, ấp, tổ dân phố, khu phố…", "thôn"),
    Column("ma_xa", "commune_code", True, "Mã xã, phường, đặc khu trực tiếp quản lý (mã chính thức 5 chữ số)",
           "Official 5-digit code of the parent commune", "00070"),
    Column("hieu_luc_tu", "valid_from", False, "Ngày bắt đầu có hiệu lực, dd/mm/yyyy",
           "Date it takes effect, dd/mm/yyyy", "01/07/2025"),
)


class VillageImporter(Importer):
    kind = "villages"
    columns = VILLAGE_COLUMNS
    model = AdminUnit

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.level = levels_ensure()["village"]
        self.seen_codes: dict[str, int] = {}
        self.seen_paths: dict[str, int] = {}

    def prefetch(self, rows: list[Row]) -> None:
        self.prefetch_units(commune_code(row.get("ma_xa")) for row in rows)

    def parse(self, row: Row) -> AdminUnit | None:
        code = self.code(row, "ma_thon")
        name = self.text(row, "ten_thon", 200, required=True)
        division_type = self.text(row, "loai", 60, required=True)
        parent_code = commune_code(self.text(row, "ma_xa", 40, required=True))
        valid_from = self.date(row, "hieu_luc_tu")
        parent = self.unit(row, "ma_xa", parent_code, "commune") if parent_code else None
        if not (code and name and division_type and parent):
            return None
        self.provinces.add(parent.province_id)
        return AdminUnit(code=code, name=name, name_folded=fold(name), division_type=division_type,
                         level=self.level, parent_id=parent.id, province_id=parent.province_id,
                         path=parent.path + PATH_SEP + code.replace(PATH_SEP, "-"), depth=parent.depth + 1,
                         valid_from=valid_from)

    def check_batch(self, parsed: list[tuple[Row, AdminUnit]]) -> None:
        taken_codes = set(AdminUnit.objects.filter(level=self.level, code__in=[u.code for _r, u in parsed])
                          .values_list("code", flat=True))
        taken_paths = set(AdminUnit.objects.filter(path__in=[u.path for _r, u in parsed])
                          .values_list("path", flat=True))
        for row, unit in parsed:
            first = self.seen_codes.get(unit.code) or self.seen_paths.get(unit.path)
            if first:
                self.error(row, "ma_thon", f"Mã thôn {unit.code} trùng với dòng {first} / village code "
                                           f"{unit.code} repeats line {first}")
            elif unit.code in taken_codes or unit.path in taken_paths:
                self.error(row, "ma_thon", f"Mã thôn {unit.code} đã có trong hệ thống / village code "
                                           f"{unit.code} already exists")
            self.seen_codes.setdefault(unit.code, row.line)
            self.seen_paths.setdefault(unit.path, row.line)


def village_import(*, actor: Any, source: IO[bytes], name: str, province: AdminUnit | None = None,
                   progress: Progress | None = None, check_only: bool = False) -> ImportResult:
    """Create the villages of a file under communes in the actor's scope; nothing if any row is bad."""
    importer = VillageImporter(paths_or_refuse(actor, province))
    return run_import(importer, actor=actor, source=source, name=name, progress=progress,
                      check_only=check_only)


# -- households ----------------------------------------------------------------------------------
HOUSEHOLD_COLUMNS = (
    Column("ma_ho", "code", True, "Mã hộ gia đình, không trùng trong tỉnh",
           "Household code, unique in the province", "HGD-000123"),
    Column("chu_ho", "head_name", True, "Họ và tên chủ hộ", "Full name of the head of household",
           "Vàng Seo Sử"),
    Column("ma_thon", "village_code", True, "Mã thôn, bản, tổ dân phố nơi hộ cư trú",
           "Code of the village where the household lives", "0007001"),
    Column("dia_chi", "address", False, "Địa chỉ", "Address", "Xóm Trên"),
    Column("dien_thoai", "phone", False, "Số điện thoại (để dạng văn bản)", "Phone number (as text)",
           "0912345678"),
    Column("nhan_khau", "members", False, "Số nhân khẩu", "Number of members", "5"),
)


class HouseholdImporter(Importer):
    kind = "households"
    columns = HOUSEHOLD_COLUMNS
    model = Household
    bulk_path = True

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.seen: dict[tuple[int, str], int] = {}

    def prefetch(self, rows: list[Row]) -> None:
        self.prefetch_units(row.get("ma_thon") for row in rows)

    def parse(self, row: Row) -> Household | None:
        code = self.code(row, "ma_ho")
        head_name = self.text(row, "chu_ho", 200, required=True)
        village_code = self.text(row, "ma_thon", 40, required=True)
        address = self.text(row, "dia_chi", 300)
        phone = self.phone(row, "dien_thoai")
        members = self.integer(row, "nhan_khau", 1, 200)
        village = self.unit(row, "ma_thon", village_code, "village") if village_code else None
        if not (code and head_name and village):
            return None
        self.provinces.add(village.province_id)
        return Household(province_id=village.province_id, village_id=village.id, code=code,
                         head_name=head_name, head_name_folded=fold(head_name), address=address, phone=phone,
                         members=members)

    def check_batch(self, parsed: list[tuple[Row, Household]]) -> None:
        by_province: dict[int, list[str]] = {}
        for _row, household in parsed:
            by_province.setdefault(household.province_id, []).append(household.code)
        taken = set()
        for province_id, codes in by_province.items():
            stored = Household.objects.filter(province_id=province_id, code__in=codes)
            taken |= {(province_id, c) for c in stored.values_list("code", flat=True)}
        for row, household in parsed:
            key = (household.province_id, household.code)
            if key in self.seen:
                self.error(row, "ma_ho", f"Mã hộ {household.code} trùng với dòng {self.seen[key]} / "
                                         f"household code {household.code} repeats line {self.seen[key]}")
            elif key in taken:
                self.error(row, "ma_ho", f"Mã hộ {household.code} đã có trong tỉnh / household code "
                                         f"{household.code} already exists in the province")
            self.seen.setdefault(key, row.line)


def household_import(*, actor: Any, source: IO[bytes], name: str, province: AdminUnit | None = None,
                     progress: Progress | None = None, check_only: bool = False) -> ImportResult:
    """Create the households of a file in villages of the actor's scope; nothing if any row is bad."""
    importer = HouseholdImporter(paths_or_refuse(actor, province))
    return run_import(importer, actor=actor, source=source, name=name, progress=progress,
                      check_only=check_only)
