"""Excel export of a unit's gaps: the targets of one level below it that have no primary follower,
as the coverage page lists them (core.tabular.xlsx writes the rows one by one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.assignments import coverage_queries as cq
from gandan.assignments.models import TargetLevel
from gandan.core.tabular import xlsx
from gandan.org.models import AdminUnit

EXPORT_MAX_ROWS = 250_000
CHUNK = 2000


def gaps_xlsx(unit: AdminUnit, level: str) -> bytes:
    """The gaps of `level` (a TargetLevel) under `unit`; the line above the header names the unit, the
    level and the day."""
    above = [_("Địa bàn chưa có người phụ trách chính"), unit.name, str(dict(TargetLevel.choices)[level]),
             timezone.localdate().strftime("%d/%m/%Y")]
    if level == TargetLevel.HOUSEHOLD:
        header = [_("Mã hộ"), _("Chủ hộ"), _("Thôn, bản"), _("Xã, phường"), _("Địa chỉ")]
        rows = _household_rows(unit)
    else:
        header = [_("Mã"), _("Tên"), _("Loại"), _("Trực thuộc")]
        rows = _unit_rows(unit, level)
    return xlsx(_("Chỗ trống"), header, rows, above=above)


def _household_rows(unit: AdminUnit) -> Iterator[list[Any]]:
    for h in cq.gap_households(unit)[:EXPORT_MAX_ROWS].iterator(chunk_size=CHUNK):
        yield [h.code, h.head_name, h.village.name, h.village.parent.name if h.village.parent else "", h.address]


def _unit_rows(unit: AdminUnit, level: str) -> Iterator[list[Any]]:
    for u in cq.gap_units(unit, level)[:EXPORT_MAX_ROWS].iterator(chunk_size=CHUNK):
        yield [u.code, u.name, u.division_type, u.parent.name if u.parent else ""]
