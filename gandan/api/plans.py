"""/plans: my plan, tasks in scope, and the steps on a task — add (idempotent by client UUID), report
progress, mark done, assess. The same services as the screens; a task outside the caller's view is
a 404 exactly like a missing one.

POST /tasks, /tasks/{id}/progress and /tasks/{id}/done may be retried with the same client UUID:
201 created · 200 already recorded with this UUID (nothing written) · 409 this UUID names another task.
POST /tasks/{id}/weight takes the task's `version` as the caller saw it: a stale one answers 409.
"""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

import datetime as dt
import uuid
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.core.concurrency import Stale
from gandan.core.input_types import Count, Id, Line
from gandan.plans import assess_services, queries, services, work_services
from gandan.plans.inputs import AssessIn, ProgressIn, TaskIn, WorkLogIn
from gandan.plans.models import Plan, Task, TaskStatus, WorkLogEntry
from gandan.plans.periods import month_bounds, month_of
from gandan.plans.progress import progress_pct
from gandan.plans.timeliness import days_overdue

router = Router(tags=["plans"])


class Error(Schema):
    detail: str


class TaskOut(Schema):
    id: int
    client_uuid: uuid.UUID
    plan_id: int
    title: str
    owner_id: int
    owner_name: str
    assigner_id: int | None
    status: str
    catalogue_item_id: int | None
    weight: Decimal
    target_kind: str
    target_quantity: Decimal | None
    target_unit: str
    progress_quantity: Decimal
    progress_pct: int
    starts_on: dt.date
    due_on: dt.date
    done_on: dt.date | None
    days_overdue: int = Field(description="days past the due date while the task is open")
    unit_id: int | None
    version: int = Field(description="send it back with a change: a stale version answers 409")
    petition_id: int | None
    meeting_id: int | None
    campaign_id: int | None

    @staticmethod
    def resolve_owner_name(obj: Task) -> str:
        return obj.owner.full_name

    @staticmethod
    def resolve_progress_pct(obj: Task) -> int:
        return progress_pct(target_kind=obj.target_kind, target_quantity=obj.target_quantity,
                            done_quantity=obj.progress_quantity, marked_done=obj.status != TaskStatus.OPEN)

    @staticmethod
    def resolve_days_overdue(obj: Task) -> int:
        if obj.status != TaskStatus.OPEN:
            return 0
        return days_overdue(due_on=obj.due_on, today=timezone.localdate())


class PlanOut(Schema):
    id: int
    cadre_id: int
    period: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    return_reason: str


class MyPlanOut(Schema):
    month: dt.date
    plans: list[PlanOut]
    tasks: list[TaskOut]


class ReportOut(Schema):
    id: int
    client_uuid: uuid.UUID
    task_id: Id
    quantity: Decimal | None
    note: str
    evidence_link: str
    marks_done: bool
    reported_at: dt.datetime
    task_status: str

    @staticmethod
    def resolve_task_status(obj: object) -> str:
        return obj.task.status  # type: ignore[attr-defined]  # a ProgressReport


class AssessmentOut(Schema):
    id: int
    task_id: Id
    outcome: str
    note: str
    assessed_on: dt.date
    task_status: str

    @staticmethod
    def resolve_task_status(obj: object) -> str:
        return obj.task.status  # type: ignore[attr-defined]  # an Assessment


class WeightIn(Schema):
    weight: Decimal = Field(gt=0, le=Decimal("99999.99"), decimal_places=2,
                            description="agreed weight in converted products")
    version: Count | None = Field(None, description="the version the caller saw; omit to change the latest")


class WorkLogOut(Schema):
    id: int
    client_uuid: uuid.UUID | None
    date: dt.date
    hours: Decimal
    note: str
    task_id: int | None
    day_total: Decimal = Field(description="the hours of that whole day in my log, this line included")


class WorkLogDayOut(Schema):
    date: dt.date
    total: Decimal
    over_normal: bool = Field(description="the day passes the normal working hours (shown to assessors)")
    entries: list[WorkLogOut]


class TaskFilter(Schema):
    status: Line = Field("", description="open, done or accepted")
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    mine: bool = Field(False, description="only the tasks I own")
    awaiting_me: bool = Field(False, description="only the done tasks waiting for my assessment")


@router.get("/mine", response=MyPlanOut, summary="My plan for a month (?month=2026-03) and its tasks")
def my_plan(request: HttpRequest, month: Line = "") -> dict:
    user = user_of(request)
    first = month_of(month, timezone.localdate())
    start, end = month_bounds(first)
    cadre = user.cadre if user.cadre_id else None
    if cadre is None:
        return {"month": first, "plans": [], "tasks": []}
    plans: QuerySet[Plan] = queries.my_plans(cadre, first)
    return {"month": first, "plans": list(plans), "tasks": list(queries.my_tasks(cadre, start, end)
                                                                 .select_related("owner"))}


@router.get("/tasks", response=list[TaskOut], summary="Tasks the caller sees, by due date")
@paginate(Paged)
def task_list(request: HttpRequest, filters: Query[TaskFilter]) -> QuerySet[Task]:
    user = user_of(request)
    tasks = queries.awaiting_assessment(user) if filters.awaiting_me else queries.tasks_visible(user)
    if filters.mine:
        tasks = tasks.filter(owner_id=user.cadre_id or 0)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.due_from:
        tasks = tasks.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        tasks = tasks.filter(due_on__lte=filters.due_to)
    return tasks.select_related("owner").order_by("due_on", "id")


@router.get("/tasks/{task_id}", response=TaskOut)
def task_detail(request: HttpRequest, task_id: Id) -> Task:
    return queries.task_get(user_of(request), task_id)


@router.post("/tasks", response={200: TaskOut, 201: TaskOut, 409: Error},
             summary="Add a task to my plan, or assign one to a cadre I lead (idempotent by client_uuid)")
def task_create(request: HttpRequest, payload: TaskIn) -> Status:
    try:
        task, created = services.task_add(actor=user_of(request), data=payload)
    except services.TaskConflict as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201 if created else 200, task)


@router.post("/tasks/{task_id}/progress", response={200: ReportOut, 201: ReportOut},
             summary="Report progress on my task (idempotent by client_uuid)")
def task_progress(request: HttpRequest, task_id: Id, payload: ProgressIn) -> Status:
    user = user_of(request)
    report, created = work_services.task_report(actor=user, task=queries.task_get(user, task_id), data=payload)
    return Status(201 if created else 200, report)


@router.post("/tasks/{task_id}/done", response={200: ReportOut, 201: ReportOut},
             summary="Mark my task done (idempotent by client_uuid); a late one records its delay")
def task_done(request: HttpRequest, task_id: Id, payload: ProgressIn) -> Status:
    user = user_of(request)
    report, created = work_services.task_mark_done(actor=user, task=queries.task_get(user, task_id), data=payload)
    return Status(201 if created else 200, report)


@router.post("/tasks/{task_id}/assess", response={201: AssessmentOut},
             summary="Assess a done task (its assigner only): accepted, or failed with a note")
def task_assess(request: HttpRequest, task_id: Id, payload: AssessIn) -> Status:
    user = user_of(request)
    assessment = assess_services.task_assess(actor=user, task=queries.task_get(user, task_id), data=payload)
    return Status(201, assessment)


@router.post("/tasks/{task_id}/weight", response={200: TaskOut, 409: Error},
             summary="Set the agreed weight of a task outside the catalogue (its assigner only)")
def task_weight(request: HttpRequest, task_id: Id, payload: WeightIn) -> Status:
    user = user_of(request)
    try:
        task = services.task_set_weight(actor=user, task=queries.task_get(user, task_id), weight=payload.weight,
                                        version=payload.version)
    except Stale as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, queries.task_get(user, task.pk))


def _with_day_total(entry: WorkLogEntry) -> WorkLogEntry:
    entry.day_total = queries.day_totals(entry.cadre_id, {entry.date}).get(entry.date, entry.hours)  # type: ignore[attr-defined]  # shown by WorkLogOut
    return entry


@router.get("/log", response=list[WorkLogDayOut],
            summary="My daily work log by day, latest first (?date_from=&date_to=, at most 62 days)")
def work_log(request: HttpRequest, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list:
    user = user_of(request)
    cadre = user.cadre if user.cadre_id else None
    end = date_to or timezone.localdate()
    start = max(date_from or end - dt.timedelta(days=13), end - dt.timedelta(days=61))
    if cadre is None:
        return []
    days = queries.my_work_log(cadre, start, end)
    for day in days:
        for entry in day.entries:
            entry.day_total = day.total  # type: ignore[attr-defined]  # shown by WorkLogOut
    return [{"date": d.date, "total": d.total, "over_normal": d.over_normal, "entries": d.entries} for d in days]


@router.post("/log", response={200: WorkLogOut, 201: WorkLogOut},
             summary="Add a line to my daily work log (agencies that keep one; idempotent by client_uuid)")
def work_log_add(request: HttpRequest, payload: WorkLogIn) -> Status:
    user = user_of(request)
    task = queries.task_get(user, payload.task_id) if payload.task_id is not None else None
    entry, created = work_services.work_log_add(actor=user, data=payload, task=task)
    return Status(201 if created else 200, _with_day_total(entry))
