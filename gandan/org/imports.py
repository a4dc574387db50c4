"""Imports of villages and households (cadres in people/imports.py), on the engine of core/imports.py.

`UnitImporter` adds what every import that names units needs: the unit of a code, looked up inside
the paths the importer may write under, where a unit outside them is reported exactly as a missing
one, so that nothing leaks. The caller decides those paths: a user's unit-admin grants
(`people.scoping.paths_or_refuse`), or for the system (CLI) the province it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gandan.core.imports import CODE_RE, PHONE_RE, Importer, ImportResult, Progress, run_import
from gandan.core.paths import PATH_SEP, path_q
from gandan.core.tabular import Column, Row
from gandan.core.text import fold
from gandan.org.household_staging import (
    household_staging_add,
    household_staging_open,
    household_staging_taken,
    household_staging_write,
)
from gandan.org.models import AdminUnit, Household
from gandan.org.services import levels_ensure

if TYPE_CHECKING:
    from gandan.core.audit import Actor

LEVEL_WORDS = {"province": pgettext_lazy("cấp", "tỉnh"), "district": pgettext_lazy("cấp", "huyện"),
               "commune": pgettext_lazy("cấp", "xã"), "village": pgettext_lazy("cấp", "thôn")}


class UnitRef(NamedTuple):
    id: int
    code: str
    path: str
    depth: int
    province_id: int
    level: str
    valid_to: dt.date | None


def commune_code(text: str) -> str:
    """Official commune codes have 5 digits; Excel drops leading zeros from numbers ("70" → "00070")."""
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


class UnitImporter(Importer):
    """An importer whose rows name units by code, looked up inside `self.paths`."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self._units: dict[str, list[UnitRef]] = {}

    # -- units in scope --------------------------------------------------------------------------
    def prefetch_units(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c and c not in self._units}
        if not wanted:
            return
        for code in wanted:
            self._units[code] = []
        rows = (AdminUnit.objects.filter(code__in=wanted).filter(path_q(self.paths))
                .values_list("id", "code", "path", "depth", "province_id", "level__code", "valid_to"))
        for values in rows:
            ref = UnitRef(*values)
            self._units[ref.code].append(ref)

    def unit(self, row: Row, column: str, code: str, level: str) -> UnitRef | None:
        """The unit of `level` with this code inside the scope; missing and forbidden look the same."""
        candidates = self._units.get(code, [])
        match = next((u for u in candidates if u.level == level), None)
        if match is not None:
            if match.valid_to is not None and match.valid_to <= timezone.localdate():
                self.error(row, column, _("Đơn vị %(level)s mã %(code)s không còn hiệu lực (đã sáp nhập hoặc "
                                          "giải thể); hãy dùng đơn vị mới")
                           % {"level": str(LEVEL_WORDS[level]), "code": code})
                return None
            return match
        word = str(LEVEL_WORDS[level])  # translated only for an error: most rows have none
        if candidates:
            other = candidates[0].level
            self.error(row, column, _("Mã %(code)s là %(found)s, không phải %(level)s")
                       % {"code": code, "found": LEVEL_WORDS.get(other, other), "level": word})
        else:
            self.error(row, column, _("Không tìm thấy %(level)s có mã %(code)s trong phạm vi bạn quản "
                                      "trị") % {"level": word, "code": code})
        return None


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


class VillageImporter(UnitImporter):
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
                self.error(row, "ma_thon", _("Mã thôn %(code)s trùng với dòng %(line)d")
                           % {"code": unit.code, "line": first})
            elif unit.code in taken_codes or unit.path in taken_paths:
                self.error(row, "ma_thon", _("Mã thôn %(code)s đã có trong hệ thống") % {"code": unit.code})
            self.seen_codes.setdefault(unit.code, row.line)
            self.seen_paths.setdefault(unit.path, row.line)


def village_import(*, actor: Actor, paths: list[str], source: IO[bytes], name: str,
                   progress: Progress | None = None, check_only: bool = False,
                   convert_legacy: bool = False) -> ImportResult:
    """Create the villages of a file under communes inside `paths`; nothing if any row is bad."""
    return run_import(VillageImporter(paths), actor=actor, source=source, name=name, progress=progress,
                      check_only=check_only, convert_legacy=convert_legacy)


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


class HouseholdValues(NamedTuple):
    """One household as `bulk_insert` writes it (a tuple: a model instance cost more than the rest of
    the row's checks together, bench/imports.py)."""

    created_at: dt.datetime
    updated_at: dt.datetime
    province_id: int
    village_id: int
    code: str
    head_name: str
    head_name_folded: str
    address: str
    phone: str
    members: int | None


class HouseholdImporter(UnitImporter):
    kind = "households"
    columns = HOUSEHOLD_COLUMNS
    model = Household
    bulk_path = True
    bulk_fields = ("created_at", "updated_at", "province", "village", "code", "head_name", "head_name_folded",
                   "address", "phone", "members")

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.seen: dict[tuple[int, str], int] = {}
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.staging: bool | None = None  # decided at the first batch

    def prefetch(self, rows: list[Row]) -> None:
        self.prefetch_units(row.get("ma_thon") for row in rows)

    def parse(self, row: Row) -> HouseholdValues | None:
        """A row whose cells all pass is read in a few comparisons; any other goes through the field
        helpers, which find and word each of its errors (a sixth of the import's time otherwise)."""
        cells = row.cells
        code, head_name, village_code = cells.get("ma_ho", ""), cells.get("chu_ho", ""), cells.get("ma_thon", "")
        address, phone = cells.get("dia_chi", ""), cells.get("dien_thoai", "")
        village = next((u for u in self._units.get(village_code, ()) if u.level == "village"), None)
        if (village is not None and (village.valid_to is None or village.valid_to > self.today)
                and len(village_code) <= 40 and 0 < len(code) <= 40 and CODE_RE.match(code)
                and 0 < len(head_name) <= 200 and len(address) <= 300
                and (not phone or (len(phone) <= 30 and PHONE_RE.match(phone)))):
            self.provinces.add(village.province_id)
            return HouseholdValues(self.now, self.now, village.province_id, village.id, code, head_name,
                                   fold(head_name), address, phone,
                                   self.integer(row, "nhan_khau", 1, 200) if cells.get("nhan_khau") else None)
        return self.parse_checked(row)

    def parse_checked(self, row: Row) -> HouseholdValues | None:
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
        return HouseholdValues(self.now, self.now, village.province_id, village.id, code, head_name,
                               fold(head_name), address, phone, members)

    def check_batch(self, parsed: list[tuple[Row, HouseholdValues]]) -> None:
        """Duplicates inside the file here; against the database either by one query per batch or, in a
        transaction on PostgreSQL, by staging the batch (COPY into a temporary table) and joining the
        whole file once in `finish`: the household table is then written by one INSERT … SELECT."""
        fresh = []
        for row, household in parsed:
            first = self.seen.setdefault((household.province_id, household.code), row.line)
            if first != row.line:
                self.error(row, "ma_ho", _("Mã hộ %(code)s trùng với dòng %(line)d")
                           % {"code": household.code, "line": first})
            else:
                fresh.append((row, household))
        if self.staging is None:
            self.staging = connection.vendor == "postgresql" and connection.in_atomic_block
            if self.staging:
                household_staging_open()
        if self.staging:
            household_staging_add([(row.line, h.province_id, h.village_id, h.code, h.head_name, h.head_name_folded,
                                    h.address, h.phone, h.members) for row, h in fresh])
        else:
            self._refuse_taken(fresh)

    def _refuse_taken(self, fresh: list[tuple[Row, HouseholdValues]]) -> None:
        by_province: dict[int, list[str]] = {}
        for _row, household in fresh:
            by_province.setdefault(household.province_id, []).append(household.code)
        taken = set()
        # One plain statement per province and batch, the codes as one array on PostgreSQL: the ORM's
        # `code__in` resolved each of the 1,000 codes as an expression (a sixth of the import's time),
        # and 1,000 placeholders cost the driver as much again to parse.
        table = connection.ops.quote_name(Household._meta.db_table)
        with connection.cursor() as cursor:
            for province_id, codes in by_province.items():
                if connection.vendor == "postgresql":
                    cursor.execute(f"SELECT code FROM {table} WHERE province_id = %s AND code = ANY(%s)",
                                   [province_id, codes])
                else:
                    cursor.execute(f"SELECT code FROM {table} WHERE province_id = %s AND code IN "
                                   f"({', '.join(['%s'] * len(codes))})", [province_id, *codes])
                taken |= {(province_id, code) for (code,) in cursor.fetchall()}
        for row, household in fresh:
            if (household.province_id, household.code) in taken:
                self.error(row, "ma_ho", _("Mã hộ %(code)s đã có trong tỉnh") % {"code": household.code})

    def finish(self) -> None:
        if self.staging:
            for line, code in household_staging_taken():
                self.error(line, "ma_ho", _("Mã hộ %(code)s đã có trong tỉnh") % {"code": code})

    def write_batch(self, values: list[tuple[object, ...]]) -> None:
        if not self.staging:  # staged rows are written at the end, all at once
            super().write_batch(values)

    def write_end(self) -> None:
        if self.staging:
            household_staging_write()


def household_import(*, actor: Actor, paths: list[str], source: IO[bytes], name: str,
                     progress: Progress | None = None, check_only: bool = False,
                     convert_legacy: bool = False) -> ImportResult:
    """Create the households of a file in villages inside `paths`; nothing if any row is bad."""
    return run_import(HouseholdImporter(paths), actor=actor, source=source, name=name, progress=progress,
                      check_only=check_only, convert_legacy=convert_legacy)
