"""/reports: the dashboard's figures for other systems, read-only and scoped, from the same rollups
as the screens. A unit outside the caller's scope is a 404 exactly like a missing one.

GET /figures?unit=&period=&block= every block of a unit (or one: coverage, fieldwork, concerns, plans,
                                   campaigns), with the period before; each unit below with the figures
                                   of the drill-down table
GET /reporting?unit=&period=       the reports the unit's children owe it, and the reporting rate
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from gandan.api.auth import user_of
from gandan.reports import figures, periods, queries
from gandan.reports.labels import CHILD_COLUMNS
from gandan.reports.models import PeriodReport

router = Router(tags=["reports"])


class Figure(Schema):
    measure: str
    current: Decimal | float | None
    previous: Decimal | float | None
    percent: bool = False


class BlockOut(Schema):
    block: str
    figures: list[Figure]


class UnitFiguresOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    blocks: list[BlockOut]


class FiguresOut(Schema):
    period: str
    previous_period: str
    unit: UnitFiguresOut
    children: list[UnitFiguresOut]


class ChildReport(Schema):
    unit_id: int
    unit_name: str
    status: str | None
    submitted_at: str | None
    on_time: bool | None


class ReportingOut(Schema):
    period: str
    deadline: str
    expected: int
    actual: int
    on_time: int
    reporting_rate: float | None
    on_time_rate: float | None
    children: list[ChildReport]


def _period(text: str | None) -> periods.Period:
    if not text:
        return periods.parse_or(None, timezone.localdate())
    try:
        return periods.parse(text)
    except ValueError:
        raise HttpError(422, _("Kỳ không hợp lệ: %(text)s (ví dụ 2026-10, 2026-Q4, 2026)") % {"text": text}) from None


# Plain dicts, validated once against the response schema: a Schema instance per figure costs ten times more.
def _block(block: str, found: queries.UnitFigures) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [{"measure": code, "current": figures.rate(found.current, num, den).percent,
                                   "previous": figures.rate(found.previous, num, den).percent, "percent": True}
                                  for code, num, den in figures.RATES[block]]
    rows += [{"measure": code, "current": figures.value(found.current, code),
              "previous": figures.value(found.previous, code), "percent": False}
             for code in figures.block_measures(block, [found.current])]
    return {"block": block, "figures": rows}


def _unit(found: queries.UnitFigures, blocks: list[str], measures: set[str] | None = None) -> dict[str, Any]:
    picked = [_block(b, found) for b in blocks]
    if measures is not None:  # a unit below reads only the figures of the drill-down table
        for b in picked:
            b["figures"] = [f for f in b["figures"] if f["measure"] in measures]
    return {"unit_id": found.unit.pk, "unit_code": found.unit.code, "unit_name": found.unit.name, "blocks": picked}


def _figures(request: HttpRequest, unit: int | None, period: str | None, blocks: list[str]) -> dict[str, Any]:
    chosen = _period(period)
    board = queries.dashboard(user_of(request), unit, chosen)
    below = set(CHILD_COLUMNS) | set(queries.CHILD_MEASURES)
    return {"period": chosen.key, "previous_period": board.previous.key, "unit": _unit(board.own, blocks),
            "children": [_unit(c, blocks, below) for c in board.children]}


@router.get("/figures", response=FiguresOut)
def figures_of(request: HttpRequest, unit: int | None = None, period: str | None = None,
               block: str | None = None) -> dict[str, Any]:
    if block is not None and block not in figures.BLOCKS:
        raise HttpError(422, _("Không có khối số liệu %(block)s (coverage, fieldwork, concerns, plans, campaigns)")
                        % {"block": block[:40]})
    return _figures(request, unit, period, [block] if block else figures.BLOCKS)


def _when(report: PeriodReport | None) -> str | None:
    if report is None or report.submitted_at is None:
        return None
    return timezone.localtime(report.submitted_at).isoformat()


@router.get("/reporting", response=ReportingOut)
def reporting(request: HttpRequest, unit: int | None = None, period: str | None = None) -> ReportingOut:
    o = queries.reporting_overview(user_of(request), unit, _period(period))
    children = [ChildReport(unit_id=u.pk, unit_name=u.name, status=r.status if r else None,
                            submitted_at=_when(r), on_time=on_time) for u, r, on_time in o.children]
    return ReportingOut(period=o.period.key, deadline=o.deadline.isoformat(), expected=o.rate.expected,
                        actual=o.rate.actual, on_time=o.rate.on_time, reporting_rate=o.rate.rate,
                        on_time_rate=o.rate.on_time_rate, children=children)
