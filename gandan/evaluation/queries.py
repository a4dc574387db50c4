"""Reads on the evaluation, each starting from the user's scope.

A sheet is personal: the cadre sees their own, the assessor those they assess, and the leadership
(leader or committee roles) those of the units they lead; anyone else gets a 404 like a missing one.
What is published inside an agency is the grade and score of each cadre, nothing else; the rankings of
agencies within a unit are for its leadership.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from gandan.campaigns.model_queries import decisions_register
from gandan.core.collation import vi_order
from gandan.core.months import add_months
from gandan.core.paths import path_q
from gandan.evaluation import rules, scoring
from gandan.evaluation.models import (
    AgencyMonth,
    AnnualResult,
    MonthStatus,
    Rubric,
    RubricKind,
    Sheet,
    SheetStatus,
)
from gandan.evaluation.rubric import RubricRules
from gandan.people import scoping
from gandan.people.models import Cadre, Role, User
from gandan.plans.access import LEAD_ROLES


def _lead_paths(user: User) -> list[str]:
    return scoping.scope_paths(user, LEAD_ROLES)


def sheets_visible(user: User) -> QuerySet[Sheet]:
    cadre_id = getattr(user, "cadre_id", None)
    if not user.is_authenticated or not user.is_active:
        return Sheet.objects.none()
    own = Q(cadre_id=cadre_id) | Q(assessor_id=cadre_id) if cadre_id else Q(pk__in=[])
    return Sheet.objects.filter(own | path_q(_lead_paths(user), "unit__path"))


def sheet_get(user: User, pk: int) -> Sheet:
    return scoping.get_visible_or_404(
        sheets_visible(user).select_related("cadre", "cadre__agency", "agency_month", "agency_month__unit", "rubric",
                                            "assessor", "assessed_by").prefetch_related("scores"), user, pk=pk)


def my_sheets(user: User) -> QuerySet[Sheet]:
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id is None:
        return Sheet.objects.none()
    return Sheet.objects.filter(cadre_id=cadre_id).select_related("agency_month").order_by("-month")


def to_assess(user: User) -> QuerySet[Sheet]:
    """Sheets through step 1 waiting for this user at step 2: theirs as direct manager, or without a
    manager in a unit they lead."""
    cadre_id = getattr(user, "cadre_id", None)
    mine = Q(assessor_id=cadre_id) if cadre_id else Q(pk__in=[])
    led = Q(assessor__isnull=True) & path_q(_lead_paths(user), "unit__path")
    qs = Sheet.objects.filter(mine | led, status=SheetStatus.SELF_ASSESSED).exclude(
        agency_month__status=MonthStatus.CONCLUDED)
    if cadre_id:
        qs = qs.exclude(cadre_id=cadre_id)
    return qs.select_related("cadre", "agency_month").order_by("month", vi_order("cadre__full_name"), "pk")


def months_led(user: User) -> QuerySet[AgencyMonth]:
    return AgencyMonth.objects.filter(path_q(_lead_paths(user), "unit__path")).select_related("agency", "unit")


def month_get(user: User, pk: int) -> AgencyMonth:
    return scoping.get_visible_or_404(months_led(user), user, pk=pk)


def month_sheets(month: AgencyMonth) -> list[Sheet]:
    return list(month.sheets.select_related("cadre", "rubric", "assessor").prefetch_related("scores")
                .order_by(vi_order("cadre__full_name"), "pk"))


# -- publication and rankings ------------------------------------------------------------------------
@dataclass
class Published:
    month: AgencyMonth
    rows: list[tuple[int, str, Decimal | None, str]]  # rank, name, score, grade


def published_month(user: User, month: dt.date, kind: str = RubricKind.CIVIL_SERVANT) -> Published | None:
    """The concluded month of the user's own agency: each cadre's rank, name, score and grade."""
    cadre = getattr(user, "cadre", None)
    if cadre is None:
        return None
    found = AgencyMonth.objects.filter(agency_id=cadre.agency_id, month=month, kind=kind, published=True,
                                       status=MonthStatus.CONCLUDED).select_related("agency").first()
    if found is None:
        return None
    sheets = list(found.sheets.filter(on_leave=False).values_list("pk", "cadre__full_name", "total", "grade"))
    ranks = rules.rankings({pk: total or Decimal(0) for pk, _n, total, _g in sheets})
    rows = sorted(((ranks[pk], name, total, grade) for pk, name, total, grade in sheets),
                  key=lambda r: (r[0], r[1]))
    return Published(found, rows)


@dataclass
class AgencyRank:
    agency_id: int
    name: str
    mean: Decimal | None
    graded: int
    rank: int = 0
    distribution: dict[str, int] = field(default_factory=dict)


def agency_ranking(user: User, month: dt.date, kind: str = RubricKind.CIVIL_SERVANT) -> list[AgencyRank]:
    """The agencies the user leads, ranked by the mean score of their concluded month (one GROUP BY)."""
    sheets = Sheet.objects.filter(path_q(_lead_paths(user), "unit__path"), month=month, kind=kind, on_leave=False,
                                  agency_month__status=MonthStatus.CONCLUDED)
    rows = list(sheets.order_by().values("agency_month__agency_id", "agency_month__agency__name")
                .annotate(mean=Avg("total"), n=Count("pk")))
    grades = sheets.order_by().values("agency_month__agency_id", "grade").annotate(n=Count("pk"))
    dist: dict[int, dict[str, int]] = defaultdict(dict)
    for g in grades:
        dist[g["agency_month__agency_id"]][g["grade"]] = g["n"]
    result = [AgencyRank(r["agency_month__agency_id"], r["agency_month__agency__name"],
                         rules.q2(Decimal(str(r["mean"]))) if r["mean"] is not None else None, r["n"],
                         distribution=dist[r["agency_month__agency_id"]]) for r in rows]
    ranks = rules.rankings({a.agency_id: a.mean or Decimal(0) for a in result})
    for a in result:
        a.rank = ranks[a.agency_id]
    return sorted(result, key=lambda a: (a.rank, a.name))


# -- who is late -------------------------------------------------------------------------------------
def step_deadline(month: dt.date, day: int) -> dt.date:
    """The `day` of the month after `month` (the rubric's days are 1–28, so every month has it)."""
    return add_months(month, 1).replace(day=day)


@dataclass
class BoardRow:
    month: AgencyMonth
    counts: dict[str, int]
    deadlines: tuple[dt.date, dt.date, dt.date]
    late_self: list[str]
    late_assessors: list[str]
    late_conclusion: bool


def status_board(user: User, month: dt.date, today: dt.date) -> list[BoardRow]:
    """Per agency the user leads: sheets per status, who has not self-assessed, which assessors are late,
    and whether the conclusion is late — against the rubric's step deadlines (day of the next month)."""
    months = list(months_led(user).filter(month=month).order_by(vi_order("agency__name")))
    sheets = Sheet.objects.filter(agency_month__in=months, on_leave=False)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in sheets.order_by().values("agency_month_id", "status").annotate(n=Count("pk")):
        counts[row["agency_month_id"]][row["status"]] = row["n"]
    waiting: dict[int, list[tuple[str, str, Any]]] = defaultdict(list)
    for am, status, name, assessor in (sheets.filter(status__in=[SheetStatus.OPEN, SheetStatus.SELF_ASSESSED])
                                       .order_by(vi_order("cadre__full_name"))
                                       .values_list("agency_month_id", "status", "cadre__full_name",
                                                    "assessor__full_name")):
        waiting[am].append((status, name, assessor))
    month_days = month_deadlines(months)
    board = []
    for m in months:
        deadlines = month_days[m.pk]
        rows = waiting.get(m.pk, [])
        late_self = [name for status, name, _a in rows if status == SheetStatus.OPEN and today > deadlines[0]]
        late_assessors = sorted({a or m.agency.name for status, _n, a in rows
                                 if status == SheetStatus.SELF_ASSESSED and today > deadlines[1]})
        board.append(BoardRow(m, counts.get(m.pk, {}), deadlines, late_self, late_assessors,
                              not m.locked and today > deadlines[2]))
    return board


def month_deadlines(months: list[AgencyMonth]) -> dict[int, tuple[dt.date, dt.date, dt.date]]:
    """Each month's three step deadlines, from the rubric its sheets were made with (as the rubric reader
    checks them; the shipped days when it names none): two statements for any number of months."""
    rubric_of = dict(Sheet.objects.filter(agency_month__in=months).order_by()
                     .values_list("agency_month_id", "rubric_id").distinct())
    rubrics = {r.pk: r for r in Rubric.objects.filter(pk__in=set(rubric_of.values()))}
    found = {}
    for m in months:
        rubric = rubrics.get(rubric_of.get(m.pk, 0))
        days = scoring.rubric_rules(rubric).deadlines if rubric is not None else RubricRules.from_data({}).deadlines
        found[m.pk] = (step_deadline(m.month, days[0]), step_deadline(m.month, days[1]),
                       step_deadline(m.month, days[2]))
    return found


# -- the year ----------------------------------------------------------------------------------------
def annual_results(user: User, year: int) -> QuerySet[AnnualResult]:
    return (AnnualResult.objects.filter(path_q(_lead_paths(user), "unit__path"), year=year)
            .select_related("cadre", "agency", "rubric").prefetch_related("proposals")
            .order_by(vi_order("agency__name"), vi_order("cadre__full_name")))


def annual_get(user: User, pk: int) -> AnnualResult:
    visible = AnnualResult.objects.filter(path_q(_lead_paths(user), "unit__path"))
    return scoping.get_visible_or_404(visible.select_related("cadre", "agency", "rubric", "unit"), user, pk=pk)


@dataclass(frozen=True)
class CommendationRow:
    number: str
    date: dt.date
    level: str
    cadre_id: int | None
    name: str
    reason: str
    source: str  # "evaluation" (a cadre's commendation on no model) or "campaigns" (a decision on a model)
    decision_id: int = 0


COMMENDATION_ROLES = frozenset({*LEAD_ROLES, Role.UNIT_ADMIN})


def commendations(user: User, year: int, cadre_id: int | None = None) -> list[CommendationRow]:
    """The year's commendations of cadres, from the one register of decisions (campaigns'
    `decisions_register`: a cadre's commendation on no model, or a decision on a model a cadre holds),
    by date. A commendation is personal: the cadre sees their own, an assessor those of the cadres they
    manage, the leadership and administrators those of the units they lead or administer; a publication
    shows grades and scores only."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = {}
    led = scoping.scope_paths(user, COMMENDATION_ROLES)
    if led:
        for d in decisions_register(unit_paths=led, date_from=start, date_to=end,
                                    cadre_ids=[cadre_id] if cadre_id else None):
            found[d.pk] = d
    own = getattr(user, "cadre_id", None)
    if own and user.is_active:
        people = [own, *Cadre.objects.filter(manager_id=own).values_list("pk", flat=True)]
        people = [p for p in people if cadre_id in (None, p)]
        for d in decisions_register(unit_paths=None, date_from=start, date_to=end, cadre_ids=people):
            found[d.pk] = d
    rows = []
    for d in found.values():
        if d.model is None:
            rows.append(CommendationRow(d.number, d.date, d.level, d.cadre_id, d.cadre.full_name if d.cadre else "",
                                        d.reason, "evaluation", d.pk))
        elif d.model.cadre_id is not None:
            rows.append(CommendationRow(d.number, d.date, d.level, d.model.cadre_id, d.model.holder_name,
                                        d.model.title, "campaigns", d.pk))
    return sorted(rows, key=lambda r: (r.date, r.number, r.decision_id))
