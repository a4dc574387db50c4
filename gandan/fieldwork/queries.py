"""Reads on field work. Contract functions for other apps come first; the user-facing reads
start from the user's scope (see `visits_visible`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gandan.assignments import queries as assignment_queries
from gandan.core.collation import vi_order
from gandan.core.models import AuditEvent
from gandan.core.paths import path_q
from gandan.fieldwork import compliance
from gandan.fieldwork import flags as flag_rules
from gandan.fieldwork.compliance import QuotaRule
from gandan.fieldwork.defaults import DEFAULT_QUOTAS, DEFAULT_TOPICS
from gandan.fieldwork.models import (
    Attendance,
    AttendanceStatus,
    ChecklistTopic,
    Meeting,
    MonthLock,
    Quota,
    Visit,
    VisitHousehold,
    VisitKind,
    VisitQuerySet,
    VisitUnit,
    next_month,
)
from gandan.org.models import AdminUnit, AgencyKind, Household, history_q, history_scope_q
from gandan.org.queries import place_name
from gandan.people import scoping
from gandan.people.models import Cadre, User
from gandan.people.queries import cadres_visible, matching
from gandan.petitions.queries import petitions_from_source


# -- contract (used by assignments and evaluation) -------------------------------------------------
def flag_limits() -> flag_rules.Limits:
    """The flag limits of this deployment: the defaults, overridden by the FIELDWORK_FLAGS setting."""
    return flag_rules.limits_from(getattr(settings, "FIELDWORK_FLAGS", None))


def last_visit_by_unit(unit_ids: Iterable[int], cadre: Cadre | None = None) -> dict[int, dt.date]:
    """Latest visit date per unit (by that cadre if given), for units visited at least once. One query.

    A household visit counts for the household's village (its village is a visited unit); a visit to a
    unit merged into one of them counts for it."""
    ids = set(unit_ids)
    if not ids:
        return {}
    qs = VisitUnit.objects.filter(Q(unit_id__in=ids) | Q(unit__heir_id__in=ids))
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    last: dict[int, dt.date] = {}
    for unit_id, heir_id, day in qs.values_list("unit_id", "unit__heir_id").annotate(d=Max("date")).values_list(
            "unit_id", "unit__heir_id", "d"):
        key = unit_id if unit_id in ids or heir_id is None else heir_id
        if key not in last or day > last[key]:
            last[key] = day
    return last


def last_visit_by_household(household_ids: Iterable[int], cadre: Cadre | None = None) -> dict[int, dt.date]:
    """Latest visit date per household (by that cadre if given), for households visited at least once."""
    ids = list(household_ids)
    if not ids:
        return {}
    qs = VisitHousehold.objects.filter(household_id__in=ids)
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    return dict(qs.values_list("household_id").annotate(last=Max("date")).values_list("household_id", "last"))


def is_month_locked(province_id: int, date: dt.date) -> bool:
    """True when the month of `date` is locked for the province (its records are read-only)."""
    return MonthLock.objects.filter(province_id=province_id, month=date.replace(day=1)).exists()


# -- visits as a user may see them ----------------------------------------------------------------
def _place_q(paths: list[str]) -> Q:
    """Visits that went to a unit on/under one of `paths` — a merged unit's path lies under its successor's,
    so its visits count there, at any depth of merging."""
    links = VisitUnit.objects.filter(visit=OuterRef("pk")).filter(path_q(paths, "unit__path"))
    return Q(Exists(links))


def _unit_place_q(unit: AdminUnit) -> Q:
    """Visits that went to a place of the unit's history: under its path, and for an ended unit also the
    places it had then, before they moved on with its merge (org.models.history_scope_q)."""
    links = VisitUnit.objects.filter(visit=OuterRef("pk")).filter(history_scope_q(unit, "unit__path", "date"))
    return Q(Exists(links))


def visits_visible(user: User) -> VisitQuerySet:
    """Visits by cadres of the user's units, and visits to the user's units: deny by default."""
    paths = scoping.scope_paths(user)
    if not paths:
        return Visit.objects.none()
    return Visit.objects.filter(path_q(paths, "cadre__unit__path") | _place_q(paths))


def visit_get(user: User, pk: int) -> Visit:
    """One visit in the user's scope; 404 alike for missing and forbidden."""
    return scoping.get_visible_or_404(
        visits_visible(user).select_related("cadre", "cadre__unit", "cadre__agency", "province"), user, pk=pk)


@dataclass(frozen=True)
class VisitFilters:
    unit: AdminUnit | None = None
    cadre_id: int | None = None
    cadre_text: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    flagged: bool = False


def _day_count() -> Subquery:
    same_day = (Visit.objects.filter(cadre=OuterRef("cadre"), date=OuterRef("date")).order_by()
                .values("cadre").annotate(n=Count("pk")).values("n"))
    return Subquery(same_day, output_field=IntegerField())


def visits_filtered(user: User, filters: VisitFilters) -> QuerySet[Visit]:
    """The visits of the list, newest first, with `day_count` (the cadre's visits that day) annotated."""
    qs = visits_visible(user)
    if filters.unit is not None:
        qs = qs.filter(path_q([filters.unit.path], "cadre__unit__path") | _unit_place_q(filters.unit))
    if filters.cadre_id:
        qs = qs.filter(cadre_id=filters.cadre_id)
    if filters.cadre_text.strip():
        qs = qs.filter(cadre__in=matching(Cadre.objects.all(), filters.cadre_text).values("pk"))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    qs = qs.between(filters.date_from, filters.date_to).annotate(day_count=_day_count())
    if filters.flagged:
        limits = flag_limits()
        qs = qs.filter(Q(gps_distance_m__gt=limits.gps_far_km * 1000) | Q(delay_days__gt=limits.late_days)
                       | Q(day_count__gt=limits.max_visits_per_day))
    return qs.select_related("cadre", "cadre__agency").order_by("-date", "-id")


def with_flags(visits: Iterable[Visit]) -> list[Visit]:
    """The visits (annotated with `day_count`, or not) with `.flags` set, for one page."""

    limits = flag_limits()
    rows = list(visits)
    missing = [v for v in rows if getattr(v, "day_count", None) is None]
    if missing:
        pairs = Visit.objects.filter(cadre_id__in={v.cadre_id for v in missing},
                                     date__in={v.date for v in missing})
        counts = {(r["cadre_id"], r["date"]): r["n"] for r in pairs.values("cadre_id", "date").annotate(n=Count("pk"))}
        for v in missing:
            v.day_count = counts.get((v.cadre_id, v.date), 1)  # type: ignore[attr-defined]  # for the page
    for v in rows:
        v.flags = flag_rules.visit_flags(gps_distance_m=v.gps_distance_m, visits_that_day=v.day_count,  # type: ignore[attr-defined]  # for the page
                                         delay_days=v.delay_days, limits=limits)
    return rows


def places_of(visits: list[Visit]) -> list[Visit]:
    """Attach `.place_names` (units, then households) to a page of visits: two queries for the page."""
    ids = [v.pk for v in visits]
    units: dict[int, list[str]] = {}
    for visit_id, name, level, commune in VisitUnit.objects.filter(visit_id__in=ids).order_by("id").values_list(
            "visit_id", "unit__name", "unit__level__code", "unit__parent__name"):
        units.setdefault(visit_id, []).append(place_name(name, level, commune))
    households: dict[int, list[str]] = {}
    for visit_id, code, head in VisitHousehold.objects.filter(visit_id__in=ids).order_by("id").values_list(
            "visit_id", "household__code", "household__head_name"):
        households.setdefault(visit_id, []).append(f"{head} ({code})")
    for v in visits:
        v.place_names = units.get(v.pk, [])  # type: ignore[attr-defined]  # for the page
        v.household_names = households.get(v.pk, [])  # type: ignore[attr-defined]  # for the page
    return visits


def calendar_counts(user: User, filters: VisitFilters, month: dt.date) -> dict[dt.date, int]:
    """Visits per day of the month, within the user's scope and the filters."""
    first = month.replace(day=1)
    month_filters = VisitFilters(unit=filters.unit, cadre_id=filters.cadre_id, cadre_text=filters.cadre_text,
                                 kind=filters.kind, date_from=first, date_to=next_month(first) - dt.timedelta(days=1))
    qs = visits_filtered(user, month_filters).order_by()
    return dict(qs.values_list("date").annotate(n=Count("pk")).values_list("date", "n"))


def visit_history(visit: Visit) -> QuerySet[AuditEvent]:
    """The audit events of a visit (recording, edits) and of its photos, oldest first."""
    photo_ids = [str(pk) for pk in visit.photos.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="fieldwork.visit", object_id=str(visit.pk))
        | Q(object_type="fieldwork.visitphoto", object_id__in=photo_ids)).select_related("actor__cadre").order_by("id")


def concerns_of(visit: Visit) -> list[Any]:
    """The concerns heard on a visit."""
    return list(petitions_from_source([str(visit.client_uuid)]))


def export_rows(qs: QuerySet[Visit], limit: int = 50_000) -> Iterator[list[Any]]:
    """Rows of the Excel export: the filtered visits (at most `limit`), read and given their places by chunk."""
    kinds = dict(VisitKind.choices)
    rows = qs.values_list("pk", "date", "cadre__full_name", "cadre__agency__name", "kind", "notes",
                          "gps_distance_m", "delay_days", "recorded_at")[:limit].iterator(chunk_size=2000)
    while chunk := list(islice(rows, 2000)):
        names: dict[int, list[str]] = {}
        for visit_id, name, level, commune in VisitUnit.objects.filter(
                visit_id__in=[r[0] for r in chunk]).order_by("id").values_list(
                "visit_id", "unit__name", "unit__level__code", "unit__parent__name"):
            names.setdefault(visit_id, []).append(place_name(name, level, commune))
        for pk, date, cadre, agency, kind, notes, distance, delay, recorded in chunk:
            yield [pk, date, cadre, agency, str(kinds.get(kind, kind)), ", ".join(names.get(pk, [])), notes,
                   None if distance is None else round(distance / 1000, 1), delay,
                   timezone.localtime(recorded).replace(tzinfo=None)]


# -- the capture form's data ---------------------------------------------------------------------
MAX_OFFLINE_UNITS = 3000
MAX_OFFLINE_HOUSEHOLDS = 5000


def topics_for(province_id: int) -> list[ChecklistTopic]:
    """The province's active checklist topics, or the default set (unsaved) when it has none."""
    rows = list(ChecklistTopic.objects.filter(province_id=province_id))
    if not rows:
        return [ChecklistTopic(province_id=province_id, code=code, name_vi=vi, name_en=en, position=i)
                for i, (code, vi, en) in enumerate(DEFAULT_TOPICS, start=1)]
    return [t for t in rows if t.is_active]


def places_for(cadre: Cadre) -> dict[str, Any]:
    """The units and households a cadre's capture form offers (cached on the phone for offline use):
    those they follow, then the units below their own unit (and its households, for a commune or
    village cadre) — the whole list when they follow nothing."""
    today = timezone.localdate()
    followed_units = list(assignment_queries.followed_units(cadre, on=today).values_list("pk", flat=True))
    followed_households = list(assignment_queries.followed_households(cadre, on=today).values_list("pk", flat=True))
    own = cadre.unit
    own_units = (AdminUnit.objects.subtree_of(own).current().filter(level__rank__gte=own.level.rank)
                 .order_by("path").values_list("pk", flat=True)[:MAX_OFFLINE_UNITS])
    unit_rows = {u["pk"]: u for u in AdminUnit.objects.filter(pk__in=[*followed_units, *own_units])
                 .values("pk", "name", "name_folded", "parent__name", "level__code", "path")}
    units = [{"id": pk, "name": u["name"], "parent": u["parent__name"] or "", "level": u["level__code"],
              "followed": pk in set(followed_units), "search": u["name_folded"]}
             for pk, u in sorted(unit_rows.items(), key=lambda kv: (kv[0] not in set(followed_units), kv[1]["path"]))]
    household_qs = Household.objects.filter(pk__in=followed_households)
    if own.level.code in {"commune", "village"}:
        household_qs = household_qs | Household.objects.filter(
            pk__in=Household.objects.in_subtree(own).values("pk")[:MAX_OFFLINE_HOUSEHOLDS])
    households = [{"id": h["pk"], "name": h["head_name"], "code": h["code"], "village": h["village__name"],
                   "village_id": h["village_id"], "followed": h["pk"] in set(followed_households),
                   "search": h["head_name_folded"]}
                  for h in household_qs.order_by("village__path", "code").values(
                      "pk", "head_name", "head_name_folded", "code", "village__name", "village_id")]
    households.sort(key=lambda h: not h["followed"])
    return {"cadre": cadre.pk, "units": units, "households": households, "follows": bool(followed_units or
                                                                                         followed_households)}


# -- meetings -------------------------------------------------------------------------------------
def meetings_visible(user: User) -> QuerySet[Meeting]:
    return scoping.filter_by_scope(Meeting.objects.all(), user, "unit__path")


def meetings_at(qs: QuerySet[Meeting], unit: AdminUnit) -> QuerySet[Meeting]:
    """The meetings of one unit: its own and those of the units merged into it, at any depth."""
    return qs.filter(history_q(unit))


def meeting_get(user: User, pk: int) -> Meeting:
    return scoping.get_in_scope_or_404(Meeting.objects.select_related("unit", "party_cell", "secretary"), user,
                                       "unit__path", pk=pk)


def expected_attendees(meeting: Meeting) -> list[Cadre]:
    """Who is on the meeting's sheet: the unit's followers, the party cell's members (or the unit's
    party committee for a committee meeting), and anyone already recorded."""
    ids = set(meeting.attendance.values_list("cadre_id", flat=True))
    ids |= set(assignment_queries.followers_of(meeting.unit, on=meeting.date).values_list("pk", flat=True))
    if meeting.party_cell_id:
        ids |= set(Cadre.objects.filter(party_cell_id=meeting.party_cell_id).active().values_list("pk", flat=True))
    else:
        ids |= set(Cadre.objects.filter(agency__unit=meeting.unit, agency__kind=AgencyKind.PARTY_COMMITTEE)
                   .active().values_list("pk", flat=True))
    return list(Cadre.objects.filter(pk__in=ids).select_related("agency").order_by(vi_order("full_name"), "pk"))


def attendance_sheet(meeting: Meeting) -> list[tuple[Cadre, Attendance | None]]:
    recorded = {a.cadre_id: a for a in meeting.attendance.all()}
    return [(cadre, recorded.get(cadre.pk)) for cadre in expected_attendees(meeting)]


# -- quotas and compliance ------------------------------------------------------------------------
def quota_rules(province_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], QuotaRule]]:
    """Per province: (level, employment type) → rule; the defaults for a province with no quota rows."""
    rules: dict[int, dict[tuple[str, str], QuotaRule]] = {}
    for q in Quota.objects.filter(province_id__in=list(province_ids)):
        rules.setdefault(q.province_id, {})[(q.level, q.employment_type)] = QuotaRule(
            q.field_days_per_month, q.visits_per_month, q.meeting_attendance_pct)
    defaults = {(level, etype): QuotaRule(days, visits, pct) for level, etype, days, visits, pct in DEFAULT_QUOTAS}
    return {pid: rules.get(pid, defaults) for pid in province_ids}


@dataclass
class CadreResult:
    id: int
    full_name: str
    agency_id: int
    agency_name: str
    unit_id: int
    unit_name: str
    activity: compliance.Activity
    result: compliance.Compliance

    @property
    def measures(self) -> dict[str, compliance.Measure]:
        """The measures by name (field_days, visits, meetings), for templates."""
        return {m.name: m for m in self.result.measures}


@dataclass
class ComplianceReport:
    month: dt.date
    running: bool
    cadres: list[CadreResult]
    without_quota: int
    overall: compliance.GroupSummary
    by_agency: list[tuple[str, compliance.GroupSummary]]
    by_unit: list[tuple[str, compliance.GroupSummary]]

    @property
    def behind(self) -> list[CadreResult]:
        return [c for c in self.cadres if c.result.is_behind]


def _cadre_rows(user: User, unit: AdminUnit | None, cadre_ids: Iterable[int] | None) -> QuerySet[Cadre]:
    qs = cadres_visible(user).active()
    if unit is not None:
        qs = qs.in_subtree(unit)
    if cadre_ids is not None:
        qs = qs.filter(pk__in=list(cadre_ids))
    return qs


def _activities(cadres: QuerySet[Cadre], start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], dict[str, int]]:
    """(cadre id, first day of month) → counts, for every month in [start, end): three grouped queries."""
    ids = cadres.values("pk")
    found: dict[tuple[int, dt.date], dict[str, int]] = {}

    def month_of(value: Any) -> dt.date:
        return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)

    visits = (Visit.objects.filter(cadre__in=ids, date__gte=start, date__lt=end).order_by()
              .values("cadre_id", m=TruncMonth("date"))
              .annotate(n=Count("pk"), days=Count("date", filter=Q(kind=VisitKind.FIELD_DAY), distinct=True)))
    for row in visits:
        found.setdefault((row["cadre_id"], month_of(row["m"])), {}).update(visits=row["n"], field_days=row["days"])
    meetings = (Attendance.objects.filter(cadre__in=ids, date__gte=start, date__lt=end, as_follower=True).order_by()
                .values("cadre_id", m=TruncMonth("date"))
                .annotate(n=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT))))
    for row in meetings:
        found.setdefault((row["cadre_id"], month_of(row["m"])), {}).update(
            meetings_expected=row["n"], meetings_attended=row["present"])
    return found


def compliance_for(user: User, month: dt.date, unit: AdminUnit | None = None, *,
                   cadre_ids: Iterable[int] | None = None, today: dt.date | None = None) -> ComplianceReport:
    """Quota compliance of the cadres in scope (under `unit`) for one month, per cadre, agency and unit."""
    today = today or timezone.localdate()
    first = month.replace(day=1)
    cadres = _cadre_rows(user, unit, cadre_ids)
    rows = list(cadres.values("pk", "full_name", "name_folded", "agency_id", "agency__name", "unit_id", "unit__name",
                              "unit__level__code", "employment_type", "province_id")
                .order_by(vi_order("full_name"), "pk"))
    rules = quota_rules({r["province_id"] for r in rows})
    counts = _activities(cadres, first, next_month(first))
    elapsed, days = compliance.month_progress(first, today)
    running = elapsed < days
    results: list[CadreResult] = []
    without = 0
    for r in rows:
        rule = compliance.rule_for(r["unit__level__code"], r["employment_type"], rules[r["province_id"]])
        if rule is None:
            without += 1
            continue
        activity = compliance.Activity(**counts.get((r["pk"], first), {}))
        result = compliance.assess(activity, rule, elapsed=elapsed if running else None, days=days)
        results.append(CadreResult(r["pk"], r["full_name"], r["agency_id"], r["agency__name"], r["unit_id"],
                                   r["unit__name"], activity, result))
    by_id = {c.id: c for c in results}
    per_cadre = {c.id: c.result for c in results}
    by_agency = compliance.group_by(per_cadre, lambda pk: by_id[pk].agency_name)
    by_unit = compliance.group_by(per_cadre, lambda pk: by_id[pk].unit_name)
    return ComplianceReport(
        month=first, running=running, cadres=results, without_quota=without, overall=compliance.overall(per_cadre),
        by_agency=sorted(by_agency.items(), key=lambda kv: (kv[1].rate, str(kv[0]))),
        by_unit=sorted(by_unit.items(), key=lambda kv: (kv[1].rate, str(kv[0]))))


def compliance_series(user: User, last: dt.date, months: int = 6, unit: AdminUnit | None = None, *,
                      today: dt.date | None = None) -> list[tuple[dt.date, compliance.GroupSummary]]:
    """The share of cadres meeting every quota, month by month, ending with `last`'s month."""
    today = today or timezone.localdate()
    firsts = [last.replace(day=1)]
    for _ in range(months - 1):
        firsts.insert(0, (firsts[0] - dt.timedelta(days=1)).replace(day=1))
    cadres = _cadre_rows(user, unit, None)
    rows = list(cadres.values("pk", "unit__level__code", "employment_type", "province_id"))
    rules = quota_rules({r["province_id"] for r in rows})
    counts = _activities(cadres, firsts[0], next_month(firsts[-1]))
    series = []
    for first in firsts:
        elapsed, days = compliance.month_progress(first, today)
        results = {}
        for r in rows:
            rule = compliance.rule_for(r["unit__level__code"], r["employment_type"], rules[r["province_id"]])
            if rule is not None:
                results[r["pk"]] = compliance.assess(compliance.Activity(**counts.get((r["pk"], first), {})), rule,
                                                     elapsed=elapsed if elapsed < days else None, days=days)
        series.append((first, compliance.overall(results)))
    return series


def month_locks(province_id: int) -> QuerySet[MonthLock]:
    return MonthLock.objects.filter(province_id=province_id).select_related("locked_by").order_by("-month")


# -- work lists (the home pages now, the reports later) -------------------------------------------
@dataclass
class CadreWeek:
    """A cadre's field work against the month's quota, seen from one day: what is done, what the
    quota expects by the end of this week (pro rata, never past the month's target), and the gap."""

    today: dt.date
    week_start: dt.date
    week_end: dt.date
    visits_this_week: int
    result: CadreResult | None

    @property
    def due_this_week(self) -> list[tuple[compliance.Measure, int]]:
        """(measure, how many more by the end of the week) for each measure still short of it."""
        if self.result is None:
            return []
        first = self.today.replace(day=1)
        _elapsed, days = compliance.month_progress(first, self.today)
        by_week_end = min(self.week_end, first.replace(day=days)).day  # days of the month elapsed by Sunday
        rows = []
        for m in self.result.result.measures:
            expected = compliance.due_by(m.target, by_week_end, days)
            if m.done < expected:
                rows.append((m, expected - m.done))
        return rows


def cadre_week(user: User, cadre: Cadre, today: dt.date | None = None) -> CadreWeek:
    today = today or timezone.localdate()
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    report = compliance_for(user, today, cadre_ids=[cadre.pk], today=today)
    visits = visits_visible(user).filter(cadre=cadre).between(week_start, week_end).count()
    return CadreWeek(today, week_start, week_end, visits, report.cadres[0] if report.cadres else None)


def upcoming_meetings(user: User, cadre: Cadre, today: dt.date | None = None, limit: int = 5) -> list[Meeting]:
    """The next meetings the cadre is expected at: in the units they follow or belong to, or of their
    party cell, from today on, soonest first (only those the user may see)."""
    today = today or timezone.localdate()
    unit_ids = set(assignment_queries.followed_units(cadre, on=today).values_list("pk", flat=True)) | {cadre.unit_id}
    where = Q(unit_id__in=unit_ids)
    if cadre.party_cell_id:
        where |= Q(party_cell_id=cadre.party_cell_id)
    return list(meetings_visible(user).filter(where, date__gte=today).select_related("unit", "party_cell")
                .order_by("date", "id")[:limit])


def month_summary(user: User, today: dt.date | None = None, unit: AdminUnit | None = None) -> dict[str, Any]:
    """The month's field work in the user's scope (under `unit`): visits, flagged visits, compliance."""
    today = today or timezone.localdate()
    visits = visits_visible(user).in_month(today)
    if unit is not None:
        visits = visits.filter(_place_q([unit.path]))
    report = compliance_for(user, today, unit, today=today)
    return {"visits": visits.count(), "report": report, "overall": report.overall, "behind": report.behind}
