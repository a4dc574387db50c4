"""The figures pages' reads: rates per unit and department for a period, the monthly ranking within
volume bands, and hot spots (fields and places rising against the previous period). Each is a few
GROUP BY queries under the root unit's path, then pure arithmetic from rates.py."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from gandan.core.paths import path_q, path_within
from gandan.org.models import AdminUnit
from gandan.petitions import config, figures, queries, rates
from gandan.petitions.models import Petition
from gandan.petitions.rates import Figures


@dataclass
class RateRow:
    kind: str  # "unit" or "agency"
    pk: int
    name: str
    parent: str
    figures: Figures
    rank: int | None = None
    of: int = 0
    band: int = -1
    score: float | None = None
    depth: int = 0
    path: str = ""  # the holding unit's (an agency's unit's): who may see the row
    link: dict[str, Any] = field(default_factory=dict)
    page: str = ""  # the holder's own figures


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _stints(root: AdminUnit, start: dt.date, end: dt.date) -> Any:
    return figures.holdings_in(start, end).filter(path_q([root.path], "unit__path"))


def rates_table(root: AdminUnit, start: dt.date, end: dt.date) -> tuple[list[RateRow], list[RateRow], Figures]:
    """Per holding unit and per department under `root`, and the total of both."""
    stints = _stints(root, start, end)
    # Under a current root a merged unit has no row of its own: its stints count under its heir. Under an
    # ended root (its history asked for), each unit it was made of keeps its row.
    key = figures.UNIT_KEY if root.valid_to is None else "unit_id"
    by_unit = figures.grouped(figures.unit_stints(stints), key)
    by_agency = figures.grouped(figures.department_stints(stints), "agency_id")
    units = queries.units_by_id(by_unit)
    agencies = queries.agencies_by_id(by_agency)
    unit_rows = [RateRow("unit", pk, units[pk].name, units[pk].parent.name if units[pk].parent else "", f,  # type: ignore[union-attr]  # parent checked
                         depth=units[pk].depth, path=units[pk].path, link={"held_unit": pk})
                 for pk, f in by_unit.items() if pk in units]
    agency_rows = [RateRow("agency", pk, agencies[pk].name, agencies[pk].unit.name, f, path=agencies[pk].unit.path,
                           link={"held_agency": pk})
                   for pk, f in by_agency.items() if pk in agencies]
    unit_rows.sort(key=lambda r: (-r.figures.received, r.name))
    agency_rows.sort(key=lambda r: (-r.figures.received, r.name))
    total = sum((r.figures for r in unit_rows + agency_rows), Figures())
    return unit_rows, agency_rows, total


def ranking(root: AdminUnit, month: dt.date, bands: int = 3) -> tuple[list[RateRow], list[RateRow]]:
    """The month's ranking of the units just below the province (communes) and of departments, each
    within groups of similar volume, computed over the whole province of `root`: every viewer sees the
    same rank and group size for a unit; `root` only decides which rows are shown (those under it)."""
    province = root.province or root
    start, end = month_bounds(month)
    units, agencies, _total = rates_table(province, start, end)
    units = [row for row in units if row.depth == province.depth + 1]
    result = []
    for rows in (units, agencies):
        ranked = {r.key: r for r in rates.rank_within_bands({row.pk: row.figures for row in rows}, bands)}
        for row in rows:
            info = ranked[row.pk]
            row.rank, row.of, row.band, row.score = info.rank, info.of, info.band, info.score
        rows = [row for row in rows if path_within(row.path, root.path)]
        rows.sort(key=lambda r: (-r.band, r.rank if r.rank is not None else 10**9, r.name))
        result.append(rows)
    return result[0], result[1]


@dataclass
class HotSpot:
    key: Any
    name: str
    trend: rates.Trend
    link: dict[str, Any]


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def hotspots(root: AdminUnit, start: dt.date, end: dt.date, min_current: int = 2) -> tuple[list[HotSpot],
                                                                                          list[HotSpot]]:
    """Fields and places (communes) whose concerns rose against the previous period of equal length."""
    qs = Petition.objects.filter(path_q([root.path], "unit__path"))
    current = figures.period_bounds(start, end)
    previous = figures.period_bounds(*previous_period(start, end))
    labels = config.field_labels(root.province or root)
    by_field = rates.rising(figures.trend_counts(qs, F("field"), current, previous), min_current)
    by_place = rates.rising(figures.trend_counts(qs, figures.place_expression(), current, previous), min_current)
    places = queries.units_by_id(t.key for t in by_place)
    fields = [HotSpot(t.key, labels.get(t.key, t.key), t, {"field": t.key}) for t in by_field]
    spots = [HotSpot(t.key, places[t.key].name, t, {"unit": t.key}) for t in by_place if t.key in places]
    return fields, spots
