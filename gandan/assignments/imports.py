"""Assignments from an XLSX file: one row per assignment, all or nothing.

Every row is read and checked before anything is written: codes (cadre, unit or household) are
looked up in a few queries inside the importer's assigning scope — a code outside it is reported
exactly like an unknown one — then the rows go through the same checks as any other assignment
(rules, dates, one primary per target, in the file and against the database). Every bad row is
listed by line and column, in Vietnamese and English; a file with any error writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.assignments.checks import TargetRef, Wish, cadre_refs, household_refs, unit_refs
from gandan.assignments.models import FollowerRole
from gandan.assignments.queries import may_assign_anywhere
from gandan.assignments.services import NOT_ASSIGNER, BatchRejected, create_many
from gandan.core.imports import ImportResult, RowError
from gandan.core.tabular import Column, Row, Table, TabularError, parse_date
from gandan.core.text import fold

if TYPE_CHECKING:
    from gandan.people.models import User

ASSIGNMENT_COLUMNS: tuple[Column, ...] = (
    Column("ma_can_bo", "cadre_code", True, "Mã cán bộ (số hiệu trong tỉnh)", "Staff code of the cadre",
           "CB-00874-0012"),
    Column("ma_dia_ban", "unit_code", False, "Mã xã hoặc thôn được theo dõi (bỏ trống nếu theo dõi hộ)",
           "Code of the commune or village followed (empty for a household)", "0087401"),
    Column("ma_ho", "household_code", False, "Mã hộ gia đình được theo dõi (bỏ trống nếu theo dõi xã, thôn)",
           "Code of the household followed (empty for a unit)", "0087401-0001"),
    Column("vai_tro", "role", False, "chính hoặc hỗ trợ (mặc định: chính)", "primary or supporting (default primary)",
           "chính"),
    Column("ngay_bat_dau", "start", True, "Ngày bắt đầu, dd/mm/yyyy", "Start date, dd/mm/yyyy", "01/08/2025"),
    Column("ngay_ket_thuc", "end", False, "Ngày thôi theo dõi (không tính ngày này), dd/mm/yyyy; bỏ trống nếu "
           "chưa kết thúc", "First day no longer followed, dd/mm/yyyy; empty when open", ""),
)
ROLE_WORDS = {"": FollowerRole.PRIMARY, "chinh": FollowerRole.PRIMARY, "phu trach chinh": FollowerRole.PRIMARY,
              "primary": FollowerRole.PRIMARY, "ho tro": FollowerRole.SUPPORTING,
              "supporting": FollowerRole.SUPPORTING}
NOT_IN_SCOPE = {
    "cadre": gettext_lazy('Không có cán bộ mã "%(code)s" trong phạm vi bạn được phân công'),
    "household": gettext_lazy('Không có hộ gia đình mã "%(code)s" trong phạm vi bạn được phân công'),
    "unit": gettext_lazy('Không có địa bàn mã "%(code)s" trong phạm vi bạn được phân công'),
}


def _index(refs: list[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    for ref in refs:
        found[ref.code].append(ref)
    return found


class _Reader:
    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.errors: list[RowError] = []

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.line, column, message))

    def one(self, row: Row, column: str, code: str, found: dict[str, list[Any]], what: str) -> Any:
        refs = found.get(code, [])
        if not code:
            self.error(row, column, _("Ô %(column)s bị bỏ trống; cột này bắt buộc") % {"column": column})
            return None
        if not refs:
            self.error(row, column, str(NOT_IN_SCOPE[what]) % {"code": code})
            return None
        if len(refs) > 1:
            self.error(row, column, _('Mã "%(code)s" trùng ở nhiều nơi trong phạm vi của bạn') % {"code": code})
            return None
        return refs[0]

    def wishes(self, rows: list[Row]) -> list[Wish]:
        cadres = _index(cadre_refs(self.actor, code__in={r.get("ma_can_bo") for r in rows} - {""}))
        units = _index(unit_refs(self.actor, code__in={r.get("ma_dia_ban") for r in rows} - {""}))
        households = _index(household_refs(self.actor, code__in={r.get("ma_ho") for r in rows} - {""}))
        wishes = []
        for row in rows:
            before = len(self.errors)
            cadre = self.one(row, "ma_can_bo", row.get("ma_can_bo"), cadres, "cadre")
            target = self.target(row, units, households)
            role = ROLE_WORDS.get(fold(row.get("vai_tro")))
            if role is None:
                self.error(row, "vai_tro", _('"%(value)s" phải là chính hoặc hỗ trợ') % {"value": row.get("vai_tro")})
            start = self.date(row, "ngay_bat_dau", required=True)
            end = self.date(row, "ngay_ket_thuc")
            if start and end and end < start:
                self.error(row, "ngay_ket_thuc", _("Ngày kết thúc trước ngày bắt đầu"))
            if len(self.errors) == before:
                wishes.append(Wish(row.line, cadre, target, role, start, end))  # type: ignore[arg-type]  # a row without errors has both
        return wishes

    def target(self, row: Row, units: dict, households: dict) -> TargetRef | None:
        unit_code, household_code = row.get("ma_dia_ban"), row.get("ma_ho")
        if unit_code and household_code:
            self.error(row, "ma_ho", _("Chỉ ghi một trong hai: mã địa bàn hoặc mã hộ"))
            return None
        if household_code:
            return self.one(row, "ma_ho", household_code, households, "household")
        if unit_code:
            return self.one(row, "ma_dia_ban", unit_code, units, "unit")
        self.error(row, "ma_dia_ban", _("Thiếu mã địa bàn hoặc mã hộ"))
        return None

    def date(self, row: Row, column: str, required: bool = False) -> Any:
        text = row.get(column)
        if not text:
            if required:
                self.error(row, column, _("Ô %(column)s bị bỏ trống; cột này bắt buộc") % {"column": column})
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            self.error(row, column, str(exc))
            return None


def assignment_import(*, actor: User | None, source: IO[bytes], name: str) -> ImportResult:
    """Read an XLSX of assignments and create them all, or none with every error listed."""
    if actor is not None and not may_assign_anywhere(actor):
        raise PermissionDenied(NOT_ASSIGNER)
    result = ImportResult(kind="assignments", file_name=name)
    if not name.lower().endswith(".xlsx"):
        result.errors.append(RowError(0, "", _("Chỉ nhận tệp Excel .xlsx")))
        return result
    try:
        with Table(source, name, ASSIGNMENT_COLUMNS) as table:
            rows = list(table.rows())
    except TabularError as exc:
        result.errors.append(RowError(exc.line, exc.field, str(exc)))
        return result
    result.rows = len(rows)
    if not rows:
        result.errors.append(RowError(0, "", _("Tệp không có dòng dữ liệu nào")))
        return result
    reader = _Reader(actor)
    wishes = reader.wishes(rows)
    try:
        created = create_many(actor=actor, wishes=wishes, errors=reader.errors, action="assignment.import",
                              about={"file": name})
    except BatchRejected as exc:
        result.errors = exc.rows
        return result
    result.created = {"assignments": len(created)}
    return result
