"""Every read of the dashboards and reports, starting from the user's scope (people/scoping.py).

A dashboard costs a fixed number of queries whatever the data size: the unit (in scope, else 404),
its children, and one read of the rollups of the unit and its children for the period and the one
before it. Drilling down is the same read one level lower.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from gandan.campaigns.models import Indicator
from gandan.core.collation import vi_order
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.scoping import AnyUser
from gandan.petitions import rates as petition_rates
from gandan.reports import figures
from gandan.reports.labels import CHILD_COLUMNS
from gandan.reports.measures import OUTPUT_PREFIX
from gandan.reports.models import PeriodReport, ReportDeadline, ReportStatus, Rollup
from gandan.reports.periods import Period
from gandan.reports.reporting_rate import ReportingRate, deadline, is_on_time, reporting_rate

# What the children's table reads: its columns (a rate's two counts) and the figures of the ranking.
CHILD_MEASURES = sorted({m for code in CHILD_COLUMNS for m in figures.measures_of(code)}
                        | {f"concerns_{name}" for name in petition_rates.FIGURE_NAMES})
DEFAULT_DUE_DAYS = 5  # days after the period ends, when the province set none


def unit_for(user: AnyUser, unit_id: int | None) -> AdminUnit:
    """The unit asked for, inside the user's scope (404 alike for missing and forbidden), else the
    first root of their scope (404 for a user who sees nothing)."""
    visible = scoping.units_for(user).select_related("level", "parent")
    if unit_id is not None:
        return scoping.get_visible_or_404(visible, user, pk=unit_id)
    roots = scoping.scope_paths(user)
    return scoping.get_visible_or_404(visible, user, path=roots[0] if roots else "-")


def children_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    return (AdminUnit.objects.filter(parent=unit, valid_to__isnull=True).select_related("level")
            .order_by(vi_order("name"), "pk"))


@dataclass
class UnitFigures:
    unit: AdminUnit
    current: dict[str, Decimal] = field(default_factory=dict)
    previous: dict[str, Decimal] = field(default_factory=dict)


def rollups_of(units: list[AdminUnit], period: Period, previous: Period | None = None,
               measures: Iterable[str] | None = None) -> dict[int, UnitFigures]:
    """Per unit: its figures (every measure, or those given) for `period` and for `previous` (default the
    period before): one query."""
    previous = previous or period.previous()
    months = period.month_keys + previous.month_keys
    rows: dict[int, list[tuple[str, str, Decimal]]] = defaultdict(list)
    found = Rollup.objects.filter(unit__in=[u.pk for u in units], period__in=months)
    if measures is not None:
        found = found.filter(measure__in=list(measures))
    for unit_id, month, measure, value in found.values_list("unit_id", "period", "measure", "value"):
        rows[unit_id].append((month, measure, value))
    return {u.pk: UnitFigures(u, figures.combine(rows[u.pk], period.month_keys),
                              figures.combine(rows[u.pk], previous.month_keys)) for u in units}


@dataclass
class Dashboard:
    unit: AdminUnit
    period: Period
    previous: Period
    own: UnitFigures
    children: list[UnitFigures]
    ranking: list[petition_rates.Ranked]
    crumbs: list[AdminUnit]

    @property
    def child_values(self) -> list[dict[str, Decimal]]:
        return [c.current for c in self.children]


def dashboard(user: AnyUser, unit_id: int | None, period: Period) -> Dashboard:
    unit = unit_for(user, unit_id)
    kids = list(children_of(unit))
    own = rollups_of([unit], period)[unit.pk]
    below = rollups_of(kids, period, measures=CHILD_MEASURES) if kids else {}
    children = [below[k.pk] for k in kids]
    concern_figures: dict[Hashable, petition_rates.Figures] = {c.unit.pk: petition_rates.Figures(**{
        name: int(c.current.get(f"concerns_{name}", 0)) for name in petition_rates.FIGURE_NAMES}) for c in children}
    ranking = petition_rates.rank_within_bands(concern_figures) if concern_figures else []
    roots = scoping.scope_paths(user)
    crumbs = [u for u in _ancestors(unit) if any(u.path == r or u.path.startswith(r + ".") for r in roots)]
    return Dashboard(unit, period, period.previous(), own, children, ranking, crumbs)


def _ancestors(unit: AdminUnit) -> list[AdminUnit]:
    """The unit's ancestors from the top, from its path (no query when it is a root)."""
    paths = unit.ancestor_paths()[:-1]
    if not paths:
        return []
    return list(AdminUnit.objects.filter(path__in=paths).order_by("depth"))


def indicator_names(values: list[dict[str, Decimal]]) -> dict[str, str]:
    """code → name of the indicators whose outputs `values` hold: one query, none when there are none."""
    codes = {k[len(OUTPUT_PREFIX):] for v in values for k in v if k.startswith(OUTPUT_PREFIX)}
    if not codes:
        return {}
    return {i.code: i.label for i in Indicator.objects.filter(code__in=codes)}


def report_figures(unit: AdminUnit, period: Period) -> UnitFigures:
    """The figures of one unit for a report (the same rollups as its dashboard)."""
    return rollups_of([unit], period)[unit.pk]


def period_end(period: Period) -> dt.date:
    return period.end


# -- the reporting workflow ---------------------------------------------------------------------------
@dataclass
class ReportingOverview:
    unit: AdminUnit
    period: Period
    deadline: dt.date
    own: PeriodReport | None
    children: list[tuple[AdminUnit, PeriodReport | None, bool | None]]  # unit, its report, on time?
    rate: ReportingRate


def due_days(province_id: int | None) -> int:
    found = ReportDeadline.objects.filter(province_id=province_id).first()
    return found.days_after_period if found else DEFAULT_DUE_DAYS


def reporting_overview(user: AnyUser, unit_id: int | None, period: Period) -> ReportingOverview:
    """The unit's own report, and the reports its children owe it: expected, actual, on time."""
    unit = unit_for(user, unit_id)
    kids = list(children_of(unit))
    days = due_days(unit.province_id)
    reports = {r.unit_id: r for r in PeriodReport.objects.filter(unit__in=[unit, *kids], period=period.key)}
    submitted = {pk: timezone.localtime(r.submitted_at).date() for pk, r in reports.items()
                 if r.submitted_at is not None and r.status != ReportStatus.DRAFT}
    rows = [(k, reports.get(k.pk), is_on_time(submitted[k.pk], period.end, days) if k.pk in submitted else None)
            for k in kids]
    rate = reporting_rate([k.pk for k in kids], submitted, period.end, days)
    return ReportingOverview(unit, period, deadline(period.end, days), reports.get(unit.pk), rows, rate)


def report_get(user: AnyUser, pk: int) -> PeriodReport:
    """A report the user sees (its unit in their scope); 404 alike for missing and forbidden."""
    return scoping.get_in_scope_or_404(PeriodReport.objects.select_related("unit", "unit__parent"), user,
                                       "unit__path", pk=pk)
