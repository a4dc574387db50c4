"""What the rollups count: one set-based GROUP BY per source for a month, each row (unit, measure,
value) at the unit where the source row lies (a visit at its cadre's unit, a stint at its holder,
an event at its unit). rollup.py adds each row to the unit and to every unit above it.

Measures are of two kinds: a flow (visits, concerns received…) adds up over the months of a
period; a stock (villages, covered households…) is the state at the end of each month, and a
period shows its last month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gandan.assignments.models import Assignment
from gandan.campaigns.models import CampaignEvent, EventOutput, ExemplaryModel
from gandan.evaluation.models import Grade, RubricKind, Sheet, SheetStatus
from gandan.fieldwork import compliance
from gandan.fieldwork.models import Attendance, AttendanceStatus, Visit, VisitHousehold, VisitKind, VisitUnit
from gandan.fieldwork.queries import quota_rules
from gandan.org.models import AdminUnit, Household
from gandan.people.models import Cadre
from gandan.petitions import figures as petition_figures
from gandan.petitions.models import Petition
from gandan.petitions.rates import FIGURE_NAMES
from gandan.plans.models import Plan, PlanStatus, Task, TaskStatus

Row = tuple[int, str, Decimal]


@dataclass(frozen=True)
class Month:
    """The month being counted: [first, following), stocks as of `on`, overdue as of `now`."""

    first: dt.date
    following: dt.date
    now: dt.datetime
    province_ids: list[int] | None

    @property
    def on(self) -> dt.date:
        return self.following - dt.timedelta(days=1)

    def of(self, qs: QuerySet, field: str = "province_id") -> QuerySet:
        return qs if self.province_ids is None else qs.filter(**{f"{field}__in": self.province_ids})


@dataclass(frozen=True)
class MeasureDef:
    code: str
    label: Promise
    block: str
    stock: bool = False


def _m(code: str, label: Promise, block: str, stock: bool = False) -> MeasureDef:
    return MeasureDef(code, label, block, stock)


MEASURES: dict[str, MeasureDef] = {m.code: m for m in [
    _m("communes", _("Xã, phường"), "coverage", True),
    _m("communes_covered", _("Xã, phường có người phụ trách"), "coverage", True),
    _m("villages", _("Thôn, bản, tổ dân phố"), "coverage", True),
    _m("villages_covered", _("Thôn, bản có người phụ trách"), "coverage", True),
    _m("households", _("Hộ gia đình"), "coverage", True),
    _m("households_covered", _("Hộ gia đình có người phụ trách"), "coverage", True),
    _m("visits", _("Lượt đi cơ sở"), "fieldwork"),
    _m("field_days", _("Lượt ngày xuống thôn, bản"), "fieldwork"),
    _m("place_visits", _("Lượt đến địa bàn"), "fieldwork"),
    _m("cadres_with_quota", _("Cán bộ có định mức (lượt tháng)"), "fieldwork"),
    _m("cadres_meeting_quota", _("Cán bộ đạt định mức (lượt tháng)"), "fieldwork"),
    _m("concerns_raised", _("Phản ánh phát sinh tại địa bàn"), "concerns"),
    *[_m(f"concerns_{name}", label, "concerns") for name, label in [
        ("received", _("Phản ánh tiếp nhận")), ("responded", _("Phản ánh đã nhận xử lý")),
        ("resolved", _("Phản ánh đã giải quyết")), ("resolved_on_time", _("Giải quyết đúng hạn")),
        ("settled", _("Phản ánh đến hạn hoặc đã giải quyết")), ("overdue", _("Phản ánh quá hạn")),
        ("rated", _("Lượt người dân đánh giá")), ("satisfied", _("Lượt người dân hài lòng")),
        ("proxy_rated", _("Lượt cán bộ ghi thay đánh giá")), ("proxy_satisfied", _("Lượt ghi thay hài lòng"))]],
    _m("tasks_due", _("Nhiệm vụ đến hạn"), "plans"),
    _m("tasks_done", _("Nhiệm vụ đã xong"), "plans"),
    _m("tasks_late", _("Nhiệm vụ trễ hạn"), "plans"),
    _m("plans", _("Kế hoạch cá nhân"), "plans"),
    _m("plans_approved", _("Kế hoạch đã duyệt"), "plans"),
    _m("events", _("Đợt ra quân"), "campaigns"),
    _m("cadre_participations", _("Lượt cán bộ tham gia"), "campaigns"),
    _m("citizens", _("Lượt người dân tham gia"), "campaigns"),
    _m("exemplary_models", _("Mô hình điển hình đăng ký"), "campaigns"),
    # the month's concluded grades (a stock: a period shows the grades of its last month)
    _m("graded", _("Cán bộ được xếp loại"), "evaluation", True),
    _m("grade_excellent", _("Hoàn thành xuất sắc nhiệm vụ"), "evaluation", True),
    _m("grade_good", _("Hoàn thành tốt nhiệm vụ"), "evaluation", True),
    _m("grade_done", _("Hoàn thành nhiệm vụ"), "evaluation", True),
    _m("grade_failed", _("Không hoàn thành nhiệm vụ"), "evaluation", True),
]}
OUTPUT_PREFIX = "output:"  # campaign outputs: "output:<indicator code>", one measure per indicator


def is_stock(code: str) -> bool:
    known = MEASURES.get(code)
    return known is not None and known.stock


def _rows(qs: QuerySet, key: str, **measures: object) -> Iterator[Row]:
    for row in qs.order_by().values(key).annotate(**measures):
        for name in measures:
            if row[name]:
                yield row[key], name, Decimal(row[name])


def coverage(m: Month) -> Iterator[Row]:
    units = m.of(AdminUnit.objects.current(m.on))
    for level, total, covered in (("commune", "communes", "communes_covered"),
                                  ("village", "villages", "villages_covered")):
        followed = m.of(Assignment.objects.active(m.on).primary().filter(unit__isnull=False)).values("unit_id")
        for row in (units.filter(level__code=level).order_by()
                    .values("pk").annotate(n=Count("pk"), c=Count("pk", filter=Q(pk__in=followed)))):
            yield row["pk"], total, Decimal(1)
            if row["c"]:
                yield row["pk"], covered, Decimal(1)
    followed_hh = m.of(Assignment.objects.active(m.on).primary().filter(household__isnull=False)).values("household_id")
    yield from _rows(m.of(Household.objects.all()), "village_id", households=Count("pk"),
                     households_covered=Count("pk", filter=Q(pk__in=followed_hh)))


def fieldwork(m: Month) -> Iterator[Row]:
    visits = m.of(Visit.objects.filter(date__gte=m.first, date__lt=m.following))
    yield from _rows(visits, "cadre__unit_id", visits=Count("pk"),
                     field_days=Count("pk", filter=Q(kind=VisitKind.FIELD_DAY)))
    in_month = {"date__gte": m.first, "date__lt": m.following}
    yield from _rows(m.of(VisitUnit.objects.filter(**in_month)), "unit_id", place_visits=Count("pk"))
    yield from _rows(m.of(VisitHousehold.objects.filter(**in_month)), "household__village_id",
                     place_visits=Count("pk"))
    yield from _quota(m)


def _quota(m: Month) -> Iterator[Row]:
    """Cadres meeting every quota of the month: three GROUP BYs, then the pure rule per cadre."""
    cadres = list(m.of(Cadre.objects.active()).values_list("pk", "unit_id", "unit__level__code",
                                                           "employment_type", "province_id"))
    rules = quota_rules({c[4] for c in cadres})
    counts: dict[int, dict[str, int]] = {}
    in_month = {"date__gte": m.first, "date__lt": m.following}
    for row in (m.of(Visit.objects.filter(**in_month)).order_by().values("cadre_id")
                .annotate(n=Count("pk"), d=Count("date", filter=Q(kind=VisitKind.FIELD_DAY), distinct=True))):
        counts.setdefault(row["cadre_id"], {}).update(visits=row["n"], field_days=row["d"])
    for row in (m.of(Attendance.objects.filter(as_follower=True, **in_month)).order_by().values("cadre_id")
                .annotate(n=Count("pk"), p=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))):
        counts.setdefault(row["cadre_id"], {}).update(meetings_expected=row["n"], meetings_attended=row["p"])
    for pk, unit_id, level, etype, province_id in cadres:
        rule = compliance.rule_for(level, etype, rules[province_id])
        if rule is None:
            continue
        result = compliance.assess(compliance.Activity(**counts.get(pk, {})), rule)
        if not result.measures:
            continue
        yield unit_id, "cadres_with_quota", Decimal(1)
        if result.met:
            yield unit_id, "cadres_meeting_quota", Decimal(1)


def concerns(m: Month) -> Iterator[Row]:
    """Concerns raised at a place (the unit where the concern is), and the holders' stints behind the rates."""
    begin, finish = petition_figures.period_bounds(m.first, m.on)
    raised = m.of(Petition.objects.filter(received_at__gte=begin, received_at__lt=finish))
    yield from _rows(raised, "unit_id", concerns_raised=Count("pk"))
    stints = petition_figures.unit_stints(m.of(petition_figures.holdings_in(m.first, m.on)))
    prefix = petition_figures.COUNT_PREFIX
    for row in stints.order_by().values("unit_id").annotate(**petition_figures.counts(m.now)):
        for name in FIGURE_NAMES:
            if row[prefix + name]:
                yield row["unit_id"], f"concerns_{name}", Decimal(row[prefix + name])


def plans(m: Month) -> Iterator[Row]:
    today = m.now.date()
    tasks = m.of(Task.objects.filter(due_on__gte=m.first, due_on__lt=m.following))
    finished = Q(status__in=[TaskStatus.DONE, TaskStatus.ACCEPTED])
    yield from _rows(tasks, "plan__unit_id", tasks_due=Count("pk"), tasks_done=Count("pk", filter=finished),
                     tasks_late=Count("pk", filter=(finished & Q(done_on__gt=F("due_on")))
                                      | (~finished & Q(due_on__lt=today))))
    yield from _rows(m.of(Plan.objects.filter(starts_on__gte=m.first, starts_on__lt=m.following)), "unit_id",
                     plans=Count("pk"), plans_approved=Count("pk", filter=Q(status=PlanStatus.APPROVED)))


def campaigns(m: Month) -> Iterator[Row]:
    events = m.of(CampaignEvent.objects.filter(date__gte=m.first, date__lt=m.following))
    yield from _rows(events, "unit_id", events=Count("pk"), cadre_participations=Sum("cadre_participations"),
                     citizens=Sum("citizens"))
    outputs = m.of(EventOutput.objects.filter(event__date__gte=m.first, event__date__lt=m.following),
                   "event__province_id")
    for row in outputs.order_by().values("event__unit_id", "indicator__code").annotate(total=Sum("amount")):
        if row["total"]:
            yield row["event__unit_id"], OUTPUT_PREFIX + row["indicator__code"], Decimal(row["total"])
    registered = m.of(ExemplaryModel.objects.filter(registered_on__gte=m.first, registered_on__lt=m.following))
    yield from _rows(registered, "unit_id", exemplary_models=Count("pk"))


def evaluation(m: Month) -> Iterator[Row]:
    """The grade distribution of the month's concluded sheets of civil servants, at the agency's unit
    (a cadre on leave the whole month is not graded)."""
    sheets = m.of(Sheet.objects.filter(month=m.first, kind=RubricKind.CIVIL_SERVANT, status=SheetStatus.CONCLUDED,
                                       on_leave=False))
    yield from _rows(sheets, "unit_id", graded=Count("pk"),
                     **{f"grade_{grade}": Count("pk", filter=Q(grade=grade)) for grade in Grade.values})


# The sources in the order a rebuild runs them (its progress bar counts them). A module that lands later
# adds a function Month → rows here, its measures in MEASURES, its rates in figures.RATES and its block
# title in labels.BLOCK_TITLES, as the evaluation's grade distribution did.
SOURCES: list[tuple[str, Callable[[Month], Iterator[Row]]]] = [
    ("coverage", coverage), ("fieldwork", fieldwork), ("concerns", concerns), ("plans", plans),
    ("campaigns", campaigns), ("evaluation", evaluation),
]
