"""Reads on campaigns, events and their totals, always starting from the user's scope.

A user sees a campaign organised in their scope or one whose scope reaches it (a province campaign
is seen by the communes taking part), and an event held in their scope or organised by an agency
of it. Totals are a handful of grouped queries over the visible events, never a loop over rows:
participations are the declared counts (person-events), participants the distinct named cadres,
outputs summed per indicator and measure. Every total is computed from `events_filtered`, so the
list of events behind any figure is that same query (the drill-down).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.translation import get_language

from gandan.campaigns import rules
from gandan.campaigns.models import (
    Campaign,
    CampaignEvent,
    CampaignScope,
    EventCadre,
    EventOutput,
    Measure,
)
from gandan.core.paths import PATH_SEP, path_q, path_within
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Cadre, User


def _ancestor_paths(paths: Iterable[str]) -> list[str]:
    found: set[str] = set()
    for path in paths:
        parts = path.split(PATH_SEP)
        found.update(PATH_SEP.join(parts[:i]) for i in range(1, len(parts)))
    return sorted(found)


def campaigns_visible(user: User) -> QuerySet[Campaign]:
    paths = scoping.scope_paths(user)
    if not paths:
        return Campaign.objects.none()
    reaches = CampaignScope.objects.filter(campaign=OuterRef("pk")).filter(
        path_q(paths, "unit__path") | Q(with_subtree=True, unit__path__in=_ancestor_paths(paths)))
    return Campaign.objects.filter(path_q(paths, "unit__path") | Q(Exists(reaches)))


def campaign_get(user: User, pk: int) -> Campaign:
    return scoping.get_visible_or_404(campaigns_visible(user).select_related("agency", "unit", "province"), user, pk=pk)


def events_visible(user: User) -> QuerySet[CampaignEvent]:
    paths = scoping.scope_paths(user)
    if not paths:
        return CampaignEvent.objects.none()
    return CampaignEvent.objects.filter(path_q(paths, "unit__path") | path_q(paths, "agency__unit__path"))


def event_get(user: User, pk: int) -> CampaignEvent:
    return scoping.get_visible_or_404(
        events_visible(user).select_related("campaign", "unit", "recorded_unit", "agency"), user, pk=pk)


@dataclass(frozen=True)
class EventFilters:
    campaign: Campaign | None = None
    unit: AdminUnit | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cadre_id: int | None = None
    indicator: str = ""

    def as_query(self) -> dict[str, str]:
        """The same filters as URL parameters (links from a figure to its events)."""
        pairs = {"campaign": self.campaign.pk if self.campaign else None, "unit": self.unit.pk if self.unit else None,
                 "date_from": self.date_from.isoformat() if self.date_from else None,
                 "date_to": self.date_to.isoformat() if self.date_to else None, "cadre": self.cadre_id,
                 "indicator": self.indicator or None}
        return {k: str(v) for k, v in pairs.items() if v is not None}


def events_filtered(user: User, filters: EventFilters) -> QuerySet[CampaignEvent]:
    qs = events_visible(user)
    if filters.campaign is not None:
        qs = qs.filter(campaign=filters.campaign)
    if filters.unit is not None:
        qs = qs.filter(path_q([filters.unit.path], "unit__path"))
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.cadre_id:
        qs = qs.filter(Exists(EventCadre.objects.filter(event=OuterRef("pk"), cadre_id=filters.cadre_id)))
    if filters.indicator:
        qs = qs.filter(Exists(EventOutput.objects.filter(event=OuterRef("pk"), indicator__code=filters.indicator)))
    return qs.select_related("campaign", "unit", "agency").order_by("-date", "-id")


# -- totals ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputTotal:
    code: str
    name: str
    measure: str
    amount: Decimal
    events: int

    @property
    def measure_label(self) -> str:
        return str(Measure(self.measure).label)


@dataclass(frozen=True)
class UnitRow:
    unit: AdminUnit | None  # None: held at the chosen unit itself
    events: int
    participations: int
    citizens: int


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    events: int
    participations: int
    citizens: int
    outputs: dict[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Totals:
    events: int
    participations: int
    named_participations: int
    participants: int
    citizens: int
    party_members: int
    party_cells: int
    outputs: list[OutputTotal]
    by_unit: list[UnitRow]
    by_month: list[MonthRow]


def _int(value: int | None) -> int:
    return int(value or 0)


def output_totals(events: QuerySet[CampaignEvent]) -> list[OutputTotal]:
    """Sums per indicator and measure (a measure is part of the key: km and ha are never added)."""
    rows = (EventOutput.objects.filter(event__in=events.values("pk")).order_by()
            .values("indicator__code", "indicator__name_vi", "indicator__name_en", "indicator__position", "measure")
            .annotate(amount=Sum("amount"), events=Count("event", distinct=True)))
    english = get_language() == "en"
    return [OutputTotal(r["indicator__code"], (r["indicator__name_en"] if english and r["indicator__name_en"]
                                               else r["indicator__name_vi"]), r["measure"],
                        _amount(r["amount"]), r["events"])
            for r in sorted(rows, key=lambda r: (r["indicator__position"], r["indicator__code"], r["measure"]))]


def _by_unit(events: QuerySet[CampaignEvent], around: AdminUnit | None) -> list[UnitRow]:
    """Events per unit, rolled up to the children of `around` (one grouped query, then paths)."""
    rows = list(events.order_by().values("unit_id", "unit__path").annotate(
        n=Count("pk"), p=Sum("cadre_participations"), c=Sum("citizens")))
    if not rows:
        return []
    if around is None:  # the lowest unit above every event's place
        common = os.path.commonprefix([r["unit__path"].split(PATH_SEP) for r in rows])
        if any(r["unit__path"] == PATH_SEP.join(common) for r in rows):
            common = common[:-1]  # an event at the common unit itself: show it beside its siblings
        around = AdminUnit.objects.filter(path=PATH_SEP.join(common)).first() if common else None
    # merged children are left out: their events lie under their heir's path, and roll up there
    children = list(AdminUnit.objects.filter(parent=around, heir__isnull=True).order_by("name")) if around else []
    totals: dict[int | None, list[int]] = {}
    for row in rows:
        child = next((c for c in children if path_within(row["unit__path"], c.path)), None)
        key = child.pk if child else (None if around and row["unit__path"] == around.path else row["unit_id"])
        acc = totals.setdefault(key, [0, 0, 0])
        acc[0] += row["n"]
        acc[1] += _int(row["p"])
        acc[2] += _int(row["c"])
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=[k for k in totals if k is not None])}
    result = [UnitRow(units.get(k) if k is not None else None, *v) for k, v in totals.items()]
    return sorted(result, key=lambda r: (r.unit is not None, r.unit.name if r.unit else ""))


def _by_month(events: QuerySet[CampaignEvent]) -> list[MonthRow]:
    months = {r["m"]: r for r in events.order_by().annotate(m=TruncMonth("date")).values("m").annotate(
        n=Count("pk"), p=Sum("cadre_participations"), c=Sum("citizens"))}
    outputs: dict[dt.date, dict[tuple[str, str], Decimal]] = {}
    for r in (EventOutput.objects.filter(event__in=events.values("pk")).order_by()
              .annotate(m=TruncMonth("event__date")).values("m", "indicator__code", "measure")
              .annotate(amount=Sum("amount"))):
        outputs.setdefault(_day(r["m"]), {})[(r["indicator__code"], r["measure"])] = _amount(r["amount"])
    return [MonthRow(_day(m), r["n"], _int(r["p"]), _int(r["c"]), outputs.get(_day(m), {}))
            for m, r in sorted(months.items(), key=lambda kv: _day(kv[0]))]


def _amount(value: Decimal | int | None) -> Decimal:
    """A sum as the two decimals amounts are stored with (SQLite's sums carry more digits)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def totals(user: User, filters: EventFilters) -> Totals:
    """Every figure of a campaign summary for the visible events matching `filters`."""
    events = events_filtered(user, filters)
    sums = events.order_by().aggregate(n=Count("pk"), p=Sum("cadre_participations"), c=Sum("citizens"),
                                       m=Sum("party_members_reached"))
    links = EventCadre.objects.filter(event__in=events.values("pk"))
    named = links.aggregate(n=Count("pk"), people=Count("cadre", distinct=True))
    cells = events.order_by().aggregate(n=Count("party_cells", distinct=True))
    return Totals(events=sums["n"], participations=_int(sums["p"]), named_participations=named["n"],
                  participants=named["people"], citizens=_int(sums["c"]), party_members=_int(sums["m"]),
                  party_cells=cells["n"], outputs=output_totals(events), by_unit=_by_unit(events, filters.unit),
                  by_month=_by_month(events))


# -- participation rule --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplianceRow:
    cadre: Cadre
    period: dt.date
    joined: int
    required: int


@dataclass(frozen=True)
class ComplianceReport:
    periods: list[dt.date]
    expected: int
    behind: list[ComplianceRow]

    def per_period(self) -> list[tuple[dt.date, int]]:
        """(period, cadres behind in it), for every period of the report."""
        counts: dict[dt.date, int] = {}
        for row in self.behind:
            counts[row.period] = counts.get(row.period, 0) + 1
        return [(p, counts.get(p, 0)) for p in self.periods]

    def behind_in(self, period: dt.date | None) -> list[ComplianceRow]:
        return [row for row in self.behind if row.period == period]

    @property
    def complying(self) -> int:
        """Cadres who met the rule in every period."""
        return self.expected - len({row.cadre.pk for row in self.behind})


def expected_cadres(campaign: Campaign) -> QuerySet[Cadre]:
    """The current cadres of the agencies that take part (and of the employment types the rule names)."""
    q = Q(pk__in=[])
    for row in campaign.scope.select_related("unit"):
        q |= path_q([row.unit.path], "unit__path") if row.with_subtree else Q(unit=row.unit)
    qs = Cadre.objects.active().filter(q)
    if campaign.rule_employment_types:
        qs = qs.filter(employment_type__in=campaign.rule_employment_types)
    return qs


def compliance(user: User, campaign: Campaign, *, unit: AdminUnit | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> ComplianceReport:
    """Who has not joined `campaign.min_events` events in each month (quarter) of the range, among the
    expected cadres in the user's scope (under `unit`). Periods not yet over are judged on what is done."""
    start = max(date_from or campaign.starts_on, campaign.starts_on)
    end = min(d for d in (date_to, campaign.ends_on, timezone.localdate()) if d is not None)
    starts = list(rules.periods(start, end, campaign.rule_period)) if start <= end else []
    cadres = scoping.filter_by_scope(expected_cadres(campaign), user, "unit__path")
    if unit is not None:
        cadres = cadres.filter(path_q([unit.path], "unit__path"))
    found = {c.pk: c for c in cadres.select_related("agency", "unit").order_by("agency__name", "name_folded", "pk")}
    trunc = TruncQuarter if campaign.rule_period == rules.QUARTER else TruncMonth
    counts = (EventCadre.objects.filter(campaign=campaign, cadre__in=cadres.values("pk"),
                                        date__gte=starts[0] if starts else start, date__lte=end)
              .order_by().annotate(p=trunc("date")).values("cadre_id", "p").annotate(n=Count("pk")))
    joined = {(r["cadre_id"], _day(r["p"])): r["n"] for r in counts}
    behind = rules.shortfalls(found, joined, starts, campaign.min_events)
    return ComplianceReport(starts, len(found), [ComplianceRow(found[s.cadre_id], s.period, s.joined, s.required)
                                                 for s in behind])
