"""A task's optimistic version: every change moves it by one, and a weight sent with a stale version
is refused (409 through the API), the weight agreed first kept — never overwritten unseen."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from gandan.core.concurrency import Stale
from gandan.core.models import AuditEvent
from gandan.plans import services, work_services
from gandan.plans.inputs import ProgressIn
from gandan.plans.testing import assign, on

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)


def test_a_weight_sent_with_a_stale_version_is_refused_and_the_first_one_kept(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="1")
    seen = task.version
    with on(DAY):
        services.task_set_weight(actor=world.commune_a_leader, task=task, weight=Decimal("2"), version=seen)
        with pytest.raises(Stale):
            services.task_set_weight(actor=world.commune_a_leader, task=task, weight=Decimal("3"), version=seen)
    task.refresh_from_db()
    assert (task.weight, task.version) == (Decimal("2"), seen + 1)
    assert AuditEvent.objects.filter(action="task.weight", object_id=str(task.pk)).count() == 1


def test_every_change_of_the_task_moves_its_version(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="1")
    with on(DAY):
        work_services.task_report(actor=world.commune_a_cadre, task=task,
                                  data=ProgressIn(client_uuid=uuid.uuid4(), quantity=None, note="Đang làm"))
        task.refresh_from_db()
        assert task.version == 2
        services.task_set_weight(actor=world.commune_a_leader, task=task, weight=Decimal("4"))  # no version: latest
    task.refresh_from_db()
    assert (task.weight, task.version) == (Decimal("4"), 3)


def test_the_api_answers_409_to_a_stale_weight_and_shows_the_version(world, api_as):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="1")
    with on(DAY):
        leader = api_as(world.commune_a_leader)
        seen = leader.get(f"/api/v1/plans/tasks/{task.pk}").json()["version"]
        first = leader.post(f"/api/v1/plans/tasks/{task.pk}/weight", {"weight": "2", "version": seen},
                            content_type="application/json")
        late = leader.post(f"/api/v1/plans/tasks/{task.pk}/weight", {"weight": "3", "version": seen},
                           content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == seen + 1
    assert Decimal(first.json()["weight"]) == Decimal("2")
    assert late.status_code == 409 and "người khác thay đổi" in late.json()["detail"]
    task.refresh_from_db()
    assert task.weight == Decimal("2")
