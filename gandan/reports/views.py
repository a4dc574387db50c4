"""The dashboard: a unit of the user's scope for a period, beside the period before, drilled down one
level per click (the period kept in every link), each number linking to its rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gandan.core.months import add_months
from gandan.reports import figures, periods, queries
from gandan.reports.labels import BLOCK_TITLES, CHILD_COLUMNS, KINDS, label_of
from gandan.reports.links import rows_url


def period_from(request: HttpRequest) -> periods.Period:
    """The period of the form (kind, month, until) or of a link (period=2026-Q4), else this month."""
    get = request.GET
    today = timezone.localdate()
    if get.get("period"):
        return periods.parse_or(get["period"], today)
    month = periods.parse_or(get.get("month"), today).start
    kind = get.get("kind", "month")
    if kind == "quarter":
        return periods.parse_or(f"{month.year}-Q{(month.month - 1) // 3 + 1}", today)
    if kind == "year":
        return periods.parse_or(str(month.year), today)
    if kind == "custom" and get.get("until"):
        return periods.parse_or(f"{periods.month_key(month)}..{get['until']}", today)
    return periods.Period("month", month, 1)


def _figure(code: str, unit_figures: queries.UnitFigures, unit: Any, period: periods.Period,
            names: dict[str, str] | None = None) -> dict[str, Any]:
    for rates in figures.RATES.values():
        for rate_code, num, den in rates:
            if rate_code == code:
                now = figures.rate(unit_figures.current, num, den)
                before = figures.rate(unit_figures.previous, num, den)
                return {"code": code, "label": label_of(code), "current": now.percent, "previous": before.percent,
                        "percent": True, "url": rows_url(num, unit, period), "detail": (now.numerator, now.denominator)}
    return {"code": code, "label": label_of(code, names), "current": figures.value(unit_figures.current, code),
            "previous": figures.value(unit_figures.previous, code), "percent": False,
            "url": rows_url(code, unit, period)}


def blocks_for(board: queries.Dashboard) -> list[dict[str, Any]]:
    blocks = []
    names = queries.indicator_names([board.own.current])
    for block in figures.BLOCKS:
        codes = [r[0] for r in figures.RATES[block]] + figures.block_measures(block, [board.own.current])
        blocks.append({"code": block, "title": BLOCK_TITLES[block],
                       "figures": [_figure(c, board.own, board.unit, board.period, names) for c in codes]})
    return blocks


def children_rows(board: queries.Dashboard) -> list[dict[str, Any]]:
    ranks = {r.key: r for r in board.ranking}
    return [{"unit": c.unit, "figures": [_figure(code, c, c.unit, board.period) for code in CHILD_COLUMNS],
             "rank": ranks.get(c.unit.pk)} for c in board.children]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    unit_id = request.GET.get("unit", "")
    board = queries.dashboard(request.user, int(unit_id) if unit_id.isdigit() else None, period)
    return render(request, "reports/dashboard.html", {
        "board": board, "blocks": blocks_for(board), "children": children_rows(board),
        "columns": [label_of(c) for c in CHILD_COLUMNS], "kinds": KINDS, "period": period,
        "until": periods.month_key(add_months(period.start, period.months - 1))})
