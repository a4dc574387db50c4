"""Atomic import of an agency's task catalogue from XLSX/CSV (core/imports.py: validate every row, then
write them all), as a new version from an effective date: each code of the file starts a version on
that date and closes the version of the same code that was current until then."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gandan.core.imports import Importer, ImportResult, Progress, run_import
from gandan.core.tabular import Column, Row
from gandan.core.text import fold
from gandan.org.models import Agency
from gandan.people import scoping
from gandan.people.models import Role, User
from gandan.plans.models import CatalogueItem, Group, UsableBy

CATALOGUE_COLUMNS = (
    Column("ma", "code", True, "Mã nhiệm vụ trong danh mục, không trùng trong tệp", "Task code, unique in the file",
           "B01"),
    Column("nhom", "group", True, "Nhóm: A (lãnh đạo), B (chuyên môn dùng chung), C (đặc thù), D (khác)",
           "Group: A (leadership), B (shared), C (agency-specific), D (other)", "B"),
    Column("ten", "name", True, "Tên nhiệm vụ", "Name of the task", "Tham mưu văn bản chỉ đạo"),
    Column("don_vi_san_pham", "product_unit", True, "Đơn vị tính của sản phẩm", "Unit of product", "văn bản"),
    Column("trong_so", "weight", True, "Định mức: số sản phẩm quy đổi cho một đơn vị sản phẩm",
           "Norm weight: converted products per unit of product", "1,5"),
    Column("doi_tuong", "usable_by", False, "Ai được dùng: moi (mọi cán bộ), lanh_dao, chuyen_vien",
           "Who may use it: moi (everyone), lanh_dao (leaders), chuyen_vien (staff)", "moi"),
)
USABLE = {"": UsableBy.EVERYONE, "moi": UsableBy.EVERYONE, "moi_can_bo": UsableBy.EVERYONE,
          "everyone": UsableBy.EVERYONE, "lanh_dao": UsableBy.LEADERS, "leaders": UsableBy.LEADERS,
          "chuyen_vien": UsableBy.STAFF, "staff": UsableBy.STAFF}
IMPORT_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN})


def parse_weight(text: str) -> Decimal:
    """"1,5" or "1.5" → Decimal("1.5"); more than 0 and at most two decimals."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("“%(text)s” không phải một số") % {"text": text}) from exc
    if not value.is_finite() or value <= 0 or value > Decimal("99999.99") or value != value.quantize(Decimal("0.01")):
        raise ValueError(_("Trọng số phải lớn hơn 0, tối đa hai chữ số thập phân"))
    return value


class CatalogueImporter(Importer):
    kind = "task_catalogue"
    columns = CATALOGUE_COLUMNS
    model = CatalogueItem

    def __init__(self, agency: Agency, valid_from: dt.date) -> None:
        super().__init__([agency.unit.path])
        self.agency, self.valid_from = agency, valid_from
        self.seen: dict[str, int] = {}
        self.existing = set(CatalogueItem.objects.filter(agency=agency, valid_from=valid_from)
                            .values_list("code", flat=True))
        assert agency.province_id is not None  # every agency has its province
        self.province_id: int = agency.province_id
        self.provinces.add(self.province_id)

    def parse(self, row: Row) -> CatalogueItem | None:
        code = self.code(row, "ma")
        group = self.text(row, "nhom", 1, required=True).upper()
        if group and group not in Group.values:
            self.error(row, "nhom", _("Nhóm phải là A, B, C hoặc D"))
        name = self.text(row, "ten", 300, required=True)
        unit = self.text(row, "don_vi_san_pham", 80, required=True)
        weight = self.parsed(row, "trong_so", parse_weight)
        if weight is None and not row.get("trong_so"):
            self.error(row, "trong_so", _("Ô trong_so bị bỏ trống; cột này bắt buộc"))
        usable = USABLE.get(fold(row.get("doi_tuong")).replace(" ", "_"))
        if usable is None:
            self.error(row, "doi_tuong", _("Đối tượng phải là moi, lanh_dao hoặc chuyen_vien"))
        if not (code and group in Group.values and name and unit and weight is not None and usable):
            return None
        return CatalogueItem(province_id=self.province_id, agency=self.agency, code=code, group=group,
                             name=name, product_unit=unit, weight=weight, usable_by=usable, valid_from=self.valid_from)

    def check_batch(self, parsed: list[tuple[Row, Any]]) -> None:
        for row, item in parsed:
            if item.code in self.seen:
                self.error(row, "ma", _("Mã %(code)s đã có ở dòng %(line)s") % {"code": item.code,
                                                                             "line": self.seen[item.code]})
            elif item.code in self.existing:
                self.error(row, "ma", _("Mã %(code)s đã có một phiên bản từ ngày này") % {"code": item.code})
            self.seen.setdefault(item.code, row.line)

    def after_write(self) -> dict[str, int]:
        """Close the versions these codes replace (current until the effective date)."""
        closed = CatalogueItem.objects.filter(agency=self.agency, code__in=list(self.seen), valid_to__isnull=True,
                                              valid_from__lt=self.valid_from).update(valid_to=self.valid_from)
        return {"closed_versions": closed}


def may_edit_catalogue(user: User | None, agency: Agency) -> bool:
    return user is None or scoping.has_role(user, IMPORT_ROLES, agency.unit)


def catalogue_import(*, actor: User | None, agency: Agency, valid_from: dt.date, source: IO[bytes], name: str,
                     progress: Progress | None = None, check_only: bool = False) -> ImportResult:
    """Import the agency's catalogue as a version from `valid_from` (its leaders and unit administrators)."""
    if not may_edit_catalogue(actor, agency):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị đơn vị được nhập danh mục nhiệm vụ của cơ quan."))
    return run_import(CatalogueImporter(agency, valid_from), actor=actor, source=source, name=name,
                      progress=progress, check_only=check_only)
