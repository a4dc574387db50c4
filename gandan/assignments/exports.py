"""Excel export of a unit's gaps: the targets of one level below it that have no primary follower,
as the coverage page lists them. A province has some 200,000 households: the rows are read from the
database by chunks of plain values (no model instances) and the workbook is streamed to the browser
while they are read (core.tabular.xlsx_download), so the download starts at once and memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.assignments import coverage_queries as cq
from gandan.assignments.models import TargetLevel
from gandan.core.tabular import xlsx_download
from gandan.org.models import AdminUnit

EXPORT_MAX_ROWS = 250_000
CHUNK = 2000


def gaps_xlsx(unit: AdminUnit, level: str) -> StreamingHttpResponse:
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
    return xlsx_download(f"cho-trong-{unit.code}-{level}.xlsx", _("Chỗ trống"), header, rows, above=above)


def _household_rows(unit: AdminUnit) -> Iterator[Any]:
    values = cq.gap_households(unit).values_list("code", "head_name", "village__name", "village__parent__name",
                                                 "address")
    yield from values[:EXPORT_MAX_ROWS].iterator(chunk_size=CHUNK)


def _unit_rows(unit: AdminUnit, level: str) -> Iterator[Any]:
    values = cq.gap_units(unit, level).values_list("code", "name", "division_type", "parent__name")
    yield from values[:EXPORT_MAX_ROWS].iterator(chunk_size=CHUNK)
