"""What the evaluation scores, per cadre and period, in converted work products — computed here,
scored there (Decree 335/2025/NĐ-CP, Art. 14; the `evaluation` app turns these into points).

Which tasks count: those assigned (a leader assigned them, or approved the plan they were drafted
in) whose due date falls in the period. Each task's weight is split between the owners who held it
(`TaskShare`), in proportion to the days of each share inside the task's span — from the day it was
given (`starts_on`) to the day it was last marked done, or to its due date while it is open. A task
held by one owner throughout counts whole for them; one reassigned half-way counts half for each.

Per cadre, in converted products (Decimal, 4 places):

- `assigned`: the weight of the shares held;
- `completed`: of those, tasks marked done (awaiting assessment or accepted);
- `completed_at_quality`: tasks the assigner accepted;
- `completed_on_time`: completed tasks with no delay left unexempted;
- `quality_deduction`: 25% of the task's weight per failed assessment (a major error) while the
  cadre owned it, unless an objective cause exempts it; `progress_deduction` likewise per delay
  (a due date missed). Not capped here: the evaluation caps a product's deduction at its score;
- `exemptions`: each failure or delay exempted by a certified objective cause, with the deduction
  it would have cost, so that a score shows the cause where the deduction would have been.

Every figure carries the ids behind it (`*_ids`), so a score can be explained task by task. Sums are
SQL aggregates over the whole set (three grouped queries, then three id listings), whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import NotSupportedError
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from gandan.plans.models import Assessment, Delay, ObjectiveCause, Outcome, TaskShare, TaskStatus

DEDUCTION = Decimal("0.25")  # per failed assessment (quality) and per delay (progress), Art. 14
PLACES = Decimal("0.0001")


class DayNumber(Func):
    """A date as a whole day number, so that spans are integer arithmetic on either database."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="((%(expressions)s)::date - DATE '2000-01-01')", **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # Func's own signature
        if "template" not in extra:
            raise NotSupportedError(f"DayNumber has no SQL for {connection.vendor}")
        return super().as_sql(compiler, connection, **extra)


@dataclass(frozen=True)
class Exemption:
    """A deduction an objective cause exempts: `kind` "quality" (a failed assessment) or "progress" (a delay)."""

    task_id: int
    kind: str
    event_id: int  # the Assessment or Delay id
    cause_id: int
    units: Decimal  # the deduction it would have cost, in converted products


@dataclass
class CadreFigures:
    """One cadre's figures for the period; the *_ids name the tasks (or events) behind each figure."""

    cadre_id: int
    assigned: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    completed_at_quality: Decimal = Decimal(0)
    completed_on_time: Decimal = Decimal(0)
    quality_deduction: Decimal = Decimal(0)
    progress_deduction: Decimal = Decimal(0)
    failures: int = 0  # failed assessments not exempted
    delays: int = 0  # delays not exempted
    assigned_ids: list[int] = field(default_factory=list)
    completed_ids: list[int] = field(default_factory=list)
    quality_ids: list[int] = field(default_factory=list)
    on_time_ids: list[int] = field(default_factory=list)
    failure_ids: list[tuple[int, int]] = field(default_factory=list)  # (task id, assessment id), each counted
    delay_ids: list[tuple[int, int]] = field(default_factory=list)  # (task id, delay id), each counted
    exemptions: list[Exemption] = field(default_factory=list)


def _d(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(PLACES)


def _shares(cadre_ids: Any, start: dt.date, end: dt.date) -> Any:
    """The counted shares, each annotated with its part of its task's weight."""
    span_start = DayNumber(F("task__starts_on"))
    span_end = Greatest(DayNumber(Coalesce(F("task__done_on"), F("task__due_on"))), span_start)
    first = Greatest(DayNumber(F("started_on")), span_start)
    last = Least(Coalesce(DayNumber(F("ended_on")) - Value(1), span_end), span_end)
    days = Greatest(last - first + Value(1), Value(0))
    share = ExpressionWrapper(Cast(F("task__weight"), FloatField()) * Cast(days, FloatField())
                              / Cast(span_end - span_start + Value(1), FloatField()), output_field=FloatField())
    late = Delay.objects.filter(task=OuterRef("task"), cause__isnull=True)
    return (TaskShare.objects.filter(cadre_id__in=cadre_ids, task__due_on__gte=start, task__due_on__lte=end,
                                     task__assigner__isnull=False)
            .annotate(part=share, unexcused_delay=Exists(late)))


DONE = [TaskStatus.DONE, TaskStatus.ACCEPTED]


def figures_for(cadre_ids: Iterable[int], start: dt.date, end: dt.date, *,
                among: QuerySet[Any] | None = None) -> dict[int, CadreFigures]:
    """Figures for each cadre of `cadre_ids` over tasks due from `start` to `end` (both included).
    `among`, the same cadres' ids as a subquery (a `values("pk")`), is what the statements filter on
    instead of the list: a province's tens of thousands of ids are not sent, nor parsed, six times."""
    ids = sorted(set(cadre_ids))
    result = {pk: CadreFigures(cadre_id=pk) for pk in ids}
    if not ids:
        return result
    who: Any = ids if among is None else among
    shares = _shares(who, start, end)
    completed, accepted = Q(task__status__in=DONE), Q(task__status=TaskStatus.ACCEPTED)
    on_time = completed & Q(unexcused_delay=False)
    sums = shares.values("cadre_id").annotate(
        assigned=Sum("part"),
        completed=Sum(Case(When(completed, then="part"), default=Value(0.0), output_field=FloatField())),
        quality=Sum(Case(When(accepted, then="part"), default=Value(0.0), output_field=FloatField())),
        on_time=Sum(Case(When(on_time, then="part"), default=Value(0.0), output_field=FloatField())))
    for row in sums:
        figures = result[row["cadre_id"]]
        figures.assigned, figures.completed = _d(row["assigned"]), _d(row["completed"])
        figures.completed_at_quality, figures.completed_on_time = _d(row["quality"]), _d(row["on_time"])
    for cadre_id, task_id, status, unexcused, part in shares.order_by("task_id").values_list(
            "cadre_id", "task_id", "task__status", "unexcused_delay", "part"):
        if not part:
            continue  # a share with no day inside the span (taken over on the day it began)
        figures = result[cadre_id]
        figures.assigned_ids.append(task_id)
        if status in DONE:
            figures.completed_ids.append(task_id)
            if not unexcused:
                figures.on_time_ids.append(task_id)
        if status == TaskStatus.ACCEPTED:
            figures.quality_ids.append(task_id)
    _deductions(result, who, start, end)
    return result


def _deductions(result: dict[int, CadreFigures], ids: Any, start: dt.date, end: dt.date) -> None:
    """Failed assessments and delays, charged to the owner at the time, 25% of the task's weight each."""
    counted = {"owner_id__in": ids, "task__due_on__gte": start, "task__due_on__lte": end,
               "task__assigner__isnull": False}
    sources: tuple[tuple[str, Any], ...] = (
        ("quality", Assessment.objects.filter(outcome=Outcome.FAILED, **counted)),
        ("progress", Delay.objects.filter(**counted)))
    for kind, events in sources:
        exempt = ObjectiveCause.objects.filter(**{"assessment" if kind == "quality" else "delay": OuterRef("pk")})
        events = events.annotate(exempt=Exists(exempt))
        totals = events.filter(exempt=False).values("owner_id").annotate(
            units=Sum(F("task__weight") * DEDUCTION), n=Sum(Value(1)))
        for row in totals:
            figures = result[row["owner_id"]]
            if kind == "quality":
                figures.quality_deduction, figures.failures = _d(row["units"]), row["n"]
            else:
                figures.progress_deduction, figures.delays = _d(row["units"]), row["n"]
        for owner_id, task_id, pk, is_exempt, weight, cause_id in events.order_by("task_id", "pk").values_list(
                "owner_id", "task_id", "pk", "exempt", "task__weight", "cause__pk"):
            figures = result[owner_id]
            if is_exempt:
                figures.exemptions.append(Exemption(task_id=task_id, kind=kind, event_id=pk, cause_id=cause_id,
                                                    units=_d(weight * DEDUCTION)))
            elif kind == "quality":
                figures.failure_ids.append((task_id, pk))
            else:
                figures.delay_ids.append((task_id, pk))


def with_totals(figures: dict[int, CadreFigures]) -> CadreFigures:
    """The sum over several cadres (for a unit's line), ids concatenated."""
    total = CadreFigures(cadre_id=0)
    for one in figures.values():
        for name in ("assigned", "completed", "completed_at_quality", "completed_on_time", "quality_deduction",
                     "progress_deduction", "failures", "delays"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        total.assigned_ids += one.assigned_ids
        total.exemptions += one.exemptions
    return total

