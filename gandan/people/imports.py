"""Atomic import of cadres from XLSX/CSV, on the engine of core/imports.py (validate all, then write).

A cadre's agency is named as people write it ("UBND xã Nghĩa Thuận", accents optional, matched
through `name_folded`) or given by id; the unit code settles names used in several units. Direct
managers may be cadres of the same file (even on later lines) or already stored in the
importer's scope; they are linked after every cadre of the file exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gandan.core.imports import BATCH, Importer, ImportResult, Progress, run_import
from gandan.core.paths import path_q
from gandan.core.tabular import Column, Row
from gandan.core.text import fold
from gandan.org.imports import commune_code
from gandan.org.models import Agency
from gandan.people.models import Cadre, EmploymentType, User

CADRE_COLUMNS = (
    Column("ma_can_bo", "code", True, "Mã cán bộ (số hiệu), không trùng trong tỉnh",
           "Staff number, unique in the province", "CB000123"),
    Column("ho_ten", "full_name", True, "Họ và tên, viết đủ dấu", "Full name, with diacritics",
           "Sân Tiến Phúc"),
    Column("ngay_sinh", "birth_date", False, "Ngày sinh, dd/mm/yyyy", "Date of birth, dd/mm/yyyy",
           "15/03/1985"),
    Column("loai", "employment_type", True, "Cán bộ, Công chức, Viên chức hoặc Người lao động hợp đồng",
           "cadre, civil_servant, public_employee or contract", "Công chức"),
    Column("chuc_vu", "position", False, "Chức vụ", "Position", "Công chức Văn phòng - Thống kê"),
    Column("co_quan", "agency", True,
           "Tên cơ quan như trong hệ thống (không phân biệt dấu), hoặc số hiệu cơ quan",
           "Agency name as stored (accents optional), or the agency id", "UBND xã Nghĩa Thuận"),
    Column("ma_don_vi", "unit_code", False,
           "Mã đơn vị hành chính của cơ quan, khi nhiều nơi có cơ quan cùng tên",
           "Code of the agency's unit, when several units have an agency of that name", "00070"),
    Column("dang_vien", "party_member", False, "Đảng viên: có / không (hoặc x)",
           "Party member: yes / no (or x)", "có"),
    Column("ma_quan_ly", "manager_code", False,
           "Mã cán bộ của người quản lý trực tiếp (trong tệp hoặc đã có)",
           "Staff number of the direct manager (in this file or already stored)", "CB000001"),
    Column("dien_thoai", "phone", False, "Điện thoại di động cá nhân (để dạng văn bản)",
           "Personal mobile phone (as text)", "0912345678"),
    Column("dien_thoai_co_quan", "office_phone", False, "Điện thoại cơ quan", "Office phone",
           "0219 3846 111"),
    Column("email", "email", False, "Thư điện tử", "E-mail address", "phuc@tuyenquang.gov.vn"),
)


def _employment_types() -> dict[str, str]:
    """Folded Vietnamese labels and code values → EmploymentType value."""
    contract = EmploymentType.CONTRACT
    table: dict[str, str] = {"hop dong": contract, "lao dong hop dong": contract, "contract worker": contract}
    with translation.override(None):  # the source (Vietnamese) labels, whatever the request's language
        for value, label in EmploymentType.choices:
            table[fold(str(label))] = value
            table[value.replace("_", " ")] = value
    return table


class AgencyRef(NamedTuple):
    id: int
    name_folded: str
    unit_code: str
    province_id: int
    unit_id: int


class CadreImporter(Importer):
    kind = "cadres"
    columns = CADRE_COLUMNS
    model = Cadre

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.types = _employment_types()
        self.agencies: dict[str, list[AgencyRef]] = {}
        self.seen: dict[tuple[int, str], int] = {}
        self.links: list[tuple[int, int, str, str]] = []  # (line, province, code, manager code)

    @staticmethod
    def _agency_key(text: str) -> str:
        return f"#{text}" if text.isdigit() else fold(text)

    def prefetch(self, rows: list[Row]) -> None:
        keys = {self._agency_key(row.get("co_quan")) for row in rows if row.get("co_quan")}
        keys -= set(self.agencies)
        if not keys:
            return
        for key in keys:
            self.agencies[key] = []
        ids = [int(k[1:]) for k in keys if k.startswith("#")]
        names = [k for k in keys if not k.startswith("#")]
        found = (Agency.objects.filter(Q(name_folded__in=names) | Q(pk__in=ids))
                 .filter(path_q(self.paths, "unit__path"))
                 .values_list("id", "name_folded", "unit__code", "unit__province_id", "unit_id"))
        for values in found:
            ref = AgencyRef(*values)  # type: ignore[arg-type]  # a saved unit has its province
            for key in (f"#{ref.id}", ref.name_folded):
                if key in keys:
                    self.agencies[key].append(ref)

    def agency(self, row: Row) -> AgencyRef | None:
        name = self.text(row, "co_quan", 250, required=True)
        unit_code = self.text(row, "ma_don_vi", 40)
        if not name:
            return None
        candidates = self.agencies.get(self._agency_key(name), [])
        if not candidates:
            self.error(row, "co_quan", _("Không tìm thấy cơ quan “%(name)s” trong phạm vi bạn quản trị")
                       % {"name": name})
            return None
        matches = candidates
        if unit_code:
            matches = [a for a in candidates if a.unit_code in {unit_code, commune_code(unit_code)}]
            if not matches:
                self.error(row, "ma_don_vi", _("Cơ quan “%(name)s” không thuộc đơn vị mã %(code)s")
                           % {"name": name, "code": unit_code})
                return None
        if len(matches) > 1:
            codes = ", ".join(sorted(a.unit_code for a in matches))
            self.error(row, "co_quan", _("Có %(count)d cơ quan tên “%(name)s” (đơn vị %(codes)s); hãy điền cột "
                                         "ma_don_vi") % {"count": len(matches), "name": name, "codes": codes})
            return None
        return matches[0]

    def parse(self, row: Row) -> Cadre | None:
        code = self.code(row, "ma_can_bo")
        full_name = self.text(row, "ho_ten", 200, required=True)
        birth_date = self.date(row, "ngay_sinh")
        if birth_date is not None and not dt.date(1900, 1, 1) <= birth_date < timezone.localdate():
            self.error(row, "ngay_sinh", _("Ngày sinh %(date)s không hợp lý") % {"date": f"{birth_date:%d/%m/%Y}"})
        employment_type = self.employment_type(row)
        position = self.text(row, "chuc_vu", 200)
        is_party_member = self.boolean(row, "dang_vien")
        self.text(row, "ma_quan_ly", 40)
        phone = self.phone(row, "dien_thoai")
        office_phone = self.phone(row, "dien_thoai_co_quan")
        email = self.email(row)
        agency = self.agency(row)
        if not (code and full_name and employment_type and agency):
            return None
        self.provinces.add(agency.province_id)
        return Cadre(province_id=agency.province_id, code=code, full_name=full_name,
                     name_folded=fold(full_name), birth_date=birth_date, employment_type=employment_type,
                     position=position, agency_id=agency.id, unit_id=agency.unit_id,
                     is_party_member=is_party_member,
                     phone=phone, office_phone=office_phone, email=email)

    def employment_type(self, row: Row) -> str:
        value = self.text(row, "loai", 60, required=True)
        if not value:
            return ""
        kind = self.types.get(fold(value).replace("_", " ").replace("-", " "))
        if kind is None:
            self.error(row, "loai", _("Loại “%(value)s” không hợp lệ: dùng Cán bộ, Công chức, Viên chức hoặc Người "
                                      "lao động hợp đồng") % {"value": value})
            return ""
        return kind

    def email(self, row: Row) -> str:
        value = self.text(row, "email", 254)
        try:
            if value:
                validate_email(value)
        except ValidationError:
            self.error(row, "email", _("“%(value)s” không phải địa chỉ thư điện tử") % {"value": value})
            return ""
        return value

    def check_batch(self, parsed: list[tuple[Row, Cadre]]) -> None:
        taken: set[tuple[int, str]] = set()
        for province_id, codes in _by_province((c.province_id, c.code) for _r, c in parsed).items():
            stored = Cadre.objects.filter(province_id=province_id, code__in=codes)
            taken |= {(province_id, code) for code in stored.values_list("code", flat=True)}
        for row, cadre in parsed:
            key = (cadre.province_id, cadre.code)
            if key in self.seen:
                self.error(row, "ma_can_bo", _("Mã cán bộ %(code)s trùng với dòng %(line)d")
                           % {"code": cadre.code, "line": self.seen[key]})
                continue
            if key in taken:
                self.error(row, "ma_can_bo", _("Mã cán bộ %(code)s đã có trong tỉnh") % {"code": cadre.code})
            self.seen[key] = row.line
            manager = row.get("ma_quan_ly")
            if manager == cadre.code:
                self.error(row, "ma_quan_ly", _("Cán bộ không thể là quản lý của chính mình"))
            elif manager:
                self.links.append((row.line, cadre.province_id, cadre.code, manager))

    def finish(self) -> None:
        """Every manager code is a cadre of the file or a stored cadre in scope, with no loop."""
        outside = _by_province((p, m) for _line, p, _c, m in self.links if (p, m) not in self.seen)
        stored: set[tuple[int, str]] = set()
        for province_id, codes in outside.items():
            for chunk in _chunks(codes):
                found = Cadre.objects.filter(province_id=province_id, code__in=chunk).filter(
                    path_q(self.paths, "unit__path"))
                stored |= {(province_id, c) for c in found.values_list("code", flat=True)}
        manager_of: dict[tuple[int, str], tuple[int, str]] = {}
        for line, province_id, code, manager in self.links:
            if (province_id, manager) in self.seen:
                manager_of[(province_id, code)] = (province_id, manager)
            elif (province_id, manager) not in stored:
                self.error(line, "ma_quan_ly", _("Không tìm thấy cán bộ quản lý mã %(code)s trong tệp hoặc trong "
                                                 "phạm vi bạn quản trị") % {"code": manager})
        for node in _in_loops(manager_of):
            self.error(self.seen[node], "ma_quan_ly", _("Quản lý trực tiếp của %(code)s tạo thành vòng lặp")
                       % {"code": node[1]})

    def after_write(self) -> dict[str, int]:
        """Link managers once every cadre of the file exists."""
        linked = 0
        links = _by_province((p, (c, m)) for _line, p, c, m in self.links)
        for province_id, pairs in links.items():
            ids: dict[str, int] = {}
            wanted = sorted({code for pair in pairs for code in pair})
            for chunk in _chunks(wanted):
                stored = Cadre.objects.filter(province_id=province_id, code__in=chunk)
                ids.update(stored.values_list("code", "pk"))
            updates = [Cadre(pk=ids[code], manager_id=ids[manager]) for code, manager in pairs]
            Cadre.objects.bulk_update(updates, ["manager"], batch_size=BATCH)
            linked += len(updates)
        return {"managers": linked}


def _by_province(pairs: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for province_id, value in pairs:
        grouped.setdefault(province_id, []).append(value)
    return grouped


def _chunks(values: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _in_loops(manager_of: dict[Any, Any]) -> list[Any]:
    """Nodes that lie on a cycle of the manager relation (each node has at most one manager)."""
    state: dict[Any, int] = {}  # 1 = on the current walk, 2 = done
    looped: list[Any] = []
    for start in manager_of:
        walk: list[Any] = []
        node = start
        while node in manager_of and node not in state:
            state[node] = 1
            walk.append(node)
            node = manager_of[node]
        if state.get(node) == 1:
            looped.extend(walk[walk.index(node):])
        for visited in walk:
            state[visited] = 2
    return looped


def cadre_import(*, actor: User | None, paths: list[str], source: IO[bytes], name: str,
                 progress: Progress | None = None, check_only: bool = False,
                 convert_legacy: bool = False) -> ImportResult:
    """Create the cadres of a file in agencies inside `paths`, then link their managers."""
    return run_import(CadreImporter(paths), actor=actor, source=source, name=name, progress=progress,
                      check_only=check_only, convert_legacy=convert_legacy)
