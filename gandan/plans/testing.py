"""Factories for the plans' tests, on the persona world of gandan.people.testing: the commune A leader
assigns tasks to the commune A cadre (cadre_a), who reports and marks them done on given days."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import time_machine
from django.utils import timezone

from gandan.plans import assess_services, services, work_services
from gandan.plans.inputs import AssessIn, ProgressIn, TaskIn
from gandan.plans.models import Assessment, CatalogueItem, Task

if TYPE_CHECKING:
    from gandan.org.models import Agency
    from gandan.people.models import User
    from gandan.people.testing import World

VN = dt.timezone(dt.timedelta(hours=7))


def on(day: dt.date, hour: int = 9) -> Any:
    """Travel to `day` at `hour` in Vietnam (a context manager), not ticking."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False)


def task_in(**fields: Any) -> TaskIn:
    fields.setdefault("client_uuid", uuid.uuid4())
    fields.setdefault("title", "Rà soát hộ nghèo thôn Nậm Lìn")
    fields.setdefault("due_on", timezone.localdate())
    if fields.get("catalogue_item_id") is None:
        fields.setdefault("weight", Decimal("1"))
    return TaskIn(**fields)


def assign(world: World, *, given: dt.date, due: dt.date, weight: str = "1", actor: User | None = None,
           cadre_id: int | None = None, **fields: Any) -> Task:
    """The commune A leader assigns a task to cadre_a on `given`, due on `due`."""
    with on(given):
        task, _created = services.task_add(actor=actor or world.commune_a_leader, data=task_in(
            cadre_id=cadre_id or world.cadre_a.pk, due_on=due, weight=Decimal(weight), **fields))
    return task


def plan_task(world: World) -> Task:
    """A task the commune A leader assigned to cadre_a today, due today."""
    task, _created = services.task_add(actor=world.commune_a_leader, data=task_in(cadre_id=world.cadre_a.pk))
    return task


def finish(task: Task, actor: User, day: dt.date, note: str = "Đã xong") -> Task:
    with on(day):
        work_services.task_mark_done(actor=actor, task=task, data=ProgressIn(client_uuid=uuid.uuid4(), note=note))
    task.refresh_from_db()
    return task


def assess(task: Task, actor: User, day: dt.date, outcome: str = "accepted", note: str = "") -> Assessment:
    with on(day):
        return assess_services.task_assess(actor=actor, task=task, data=AssessIn(outcome=outcome, note=note))


def make_item(agency: Agency, code: str = "B01", weight: str = "2", valid_from: dt.date | None = None,
              **extra: Any) -> CatalogueItem:
    assert agency.province_id is not None
    extra.setdefault("group", "B")
    extra.setdefault("name", "Tham mưu văn bản chỉ đạo")
    extra.setdefault("product_unit", "văn bản")
    return CatalogueItem.objects.create(province_id=agency.province_id, agency=agency, code=code,
                                        weight=Decimal(weight), valid_from=valid_from or dt.date(2025, 1, 1), **extra)
