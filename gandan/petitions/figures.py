"""Counts behind the rates, in set-based SQL over holders' stints (PetitionHolding): one GROUP BY per
question, never a query per row. The definitions are in rates.py.

A count and the list behind it are one definition: `held_stints` (a holder's stints in a period) filtered
by `figure_q` (the stints one figure counts). The figures pages group it; the list shows one row per stint,
so a concern a holder held twice in the period (reopened at the same level) is counted and listed twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from gandan.org.models import AgencyKind, counts_as, history_q
from gandan.petitions.models import RESOLVED_OUTCOMES, Petition, PetitionHolding
from gandan.petitions.rates import FIGURE_NAMES, Figures

UNIT_KEY = "unit_counts_as"


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in local time, as aware datetimes."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, finish


def figure_q(name: str, now: dt.datetime) -> Q:
    """The stints one figure of rates.Figures counts (every stint for "received" or an unknown name)."""
    resolved = Q(outcome__in=RESOLVED_OUTCOMES)
    return {
        "received": Q(),
        "responded": Q(accepted_at__isnull=False),
        "resolved": resolved,
        "resolved_on_time": resolved & Q(ended_at__lte=F("due_at")),
        "settled": resolved | Q(due_at__lt=now),
        "overdue": Q(ended_at__isnull=True, due_at__lt=now) | Q(ended_at__gt=F("due_at")),
        "rated": Q(satisfied__isnull=False, rated_by="citizen"),
        "satisfied": Q(satisfied=True, rated_by="citizen"),
        "proxy_rated": Q(satisfied__isnull=False, rated_by="proxy"),
        "proxy_satisfied": Q(satisfied=True, rated_by="proxy"),
    }.get(name, Q())


COUNT_PREFIX = "n_"  # the aggregates' names: never a field's ("satisfied"), which a later filter would read


def counts(now: dt.datetime) -> dict[str, Any]:
    """The aggregate expressions of rates.Figures over PetitionHolding rows, named COUNT_PREFIX + figure."""
    return {COUNT_PREFIX + name: Count("id", filter=figure_q(name, now)) for name in FIGURE_NAMES}


def holdings_in(start: dt.date | None, end: dt.date | None) -> QuerySet[PetitionHolding]:
    """The stints that started in [start, end] (local days); every stint without a period."""
    if start is None or end is None:
        return PetitionHolding.objects.all()
    begin, finish = period_bounds(start, end)
    return PetitionHolding.objects.filter(started_at__gte=begin, started_at__lt=finish)


def grouped(qs: QuerySet[PetitionHolding], key: str, now: dt.datetime | None = None) -> dict[Any, Figures]:
    """Figures per `key`: a field name, or UNIT_KEY — the current unit a stint's holder unit counts under
    (a merged unit's stints under its heir, so that it has no row of its own)."""
    if key == UNIT_KEY:
        qs = qs.annotate(**{UNIT_KEY: counts_as("unit")})
    rows = qs.order_by().values(key).annotate(**counts(now or timezone.now()))
    return {row[key]: Figures.of({name: row[COUNT_PREFIX + name] for name in FIGURE_NAMES}) for row in rows}


def unit_stints(qs: QuerySet[PetitionHolding]) -> QuerySet[PetitionHolding]:
    """Stints held by units themselves (their people's committees), not by departments."""
    return qs.exclude(agency__kind=AgencyKind.DEPARTMENT)


def department_stints(qs: QuerySet[PetitionHolding]) -> QuerySet[PetitionHolding]:
    return qs.filter(agency__kind=AgencyKind.DEPARTMENT)


def held_stints(*, start: dt.date | None, end: dt.date | None, unit_id: int | None = None,
                agency_id: int | None = None, cadre_id: int | None = None) -> QuerySet[PetitionHolding]:
    """One holder's stints in a period, as the figures pages count them: a unit's own (not its
    departments'), an agency's, a cadre's."""
    stints = holdings_in(start, end)
    if unit_id is not None:
        stints = unit_stints(stints.filter(history_q(unit_id)))
    if agency_id is not None:
        stints = stints.filter(agency_id=agency_id)
    if cadre_id is not None:
        stints = stints.filter(cadre_id=cadre_id)
    return stints


def _as_dicts(figures: dict[Any, Figures]) -> dict[Any, dict[str, int]]:
    return {key: {name: getattr(f, name) for name in f.__dataclass_fields__} for key, f in figures.items()}


def holder_figures(*, start: dt.date, end: dt.date, cadre_ids: Iterable[int] | None = None,
                   unit_ids: Iterable[int] | None = None) -> dict:
    """Per cadre, per unit and per agency that held concerns whose stint started in [start, end]:
    received, responded, resolved, resolved_on_time, settled, overdue, rated, satisfied (the citizens' own
    ratings), proxy_rated, proxy_satisfied (recorded by cadres for them, counted apart; rates.py).

        {"cadres": {cadre_id: {...}}, "units": {unit_id: {...}}, "agencies": {agency_id: {...}}}

    "units" counts stints held by the unit itself (its people's committee), "agencies" every stint
    held by an agency (committees and departments). Both filters are optional; the evaluation module
    passes the cadres or units it evaluates."""
    now = timezone.now()
    stints = holdings_in(start, end)
    cadres = stints.filter(cadre__isnull=False)
    if cadre_ids is not None:
        cadres = cadres.filter(cadre_id__in=list(cadre_ids))
    units = unit_stints(stints)
    agencies = stints.filter(agency__isnull=False)
    if unit_ids is not None:
        ids = list(unit_ids)
        units = units.filter(Q(unit_id__in=ids) | Q(unit__heir_id__in=ids))
        agencies = agencies.filter(Q(unit_id__in=ids) | Q(unit__heir_id__in=ids))
    return {
        "cadres": _as_dicts(grouped(cadres, "cadre_id", now)),
        "units": _as_dicts(grouped(units, UNIT_KEY, now)),
        "agencies": _as_dicts(grouped(agencies, "agency_id", now)),
    }


def place_expression() -> Case:
    """A concern's place rolled up to the current commune: a village's parent, otherwise the unit itself,
    each through its heir when it was merged."""
    return Case(When(unit__level__code="village", then=Coalesce(F("unit__heir__parent_id"), F("unit__parent_id"))),
                default=counts_as("unit"), output_field=IntegerField())


def trend_counts(qs: QuerySet[Petition], key: Any, current: tuple[dt.datetime, dt.datetime],
                 previous: tuple[dt.datetime, dt.datetime]) -> list[tuple[Any, int, int]]:
    """(key, count in current period, count in previous period) for each key, in one GROUP BY."""
    rows = (qs.filter(received_at__gte=previous[0], received_at__lt=current[1]).order_by()
            .annotate(group_key=key).values("group_key")
            .annotate(current=Count("id", filter=Q(received_at__gte=current[0], received_at__lt=current[1])),
                      previous=Count("id", filter=Q(received_at__gte=previous[0], received_at__lt=previous[1]))))
    return [(row["group_key"], row["current"], row["previous"]) for row in rows]
