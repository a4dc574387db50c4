"""/api/v1/plans: my plan, tasks, progress, done and assess — idempotent creates, scoped like the screens."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from gandan.plans.models import ProgressReport, Task, TaskStatus
from gandan.plans.testing import assign, finish, on

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)
HUGE = 99999999999999999999


def test_a_cadre_adds_a_task_once_however_often_the_phone_retries_and_sees_it_in_their_plan(world, api_as):
    body = {"client_uuid": str(uuid.uuid4()), "title": "Họp dân thôn Nậm Lìn", "due_on": "2026-03-20",
            "weight": "1.5", "unit_id": world.village_a1.pk}
    with on(DAY):
        client = api_as(world.commune_a_cadre)
        first = client.post("/api/v1/plans/tasks", body, content_type="application/json")
        again = client.post("/api/v1/plans/tasks", body, content_type="application/json")
        conflict = client.post("/api/v1/plans/tasks", {**body, "title": "Việc khác"}, content_type="application/json")
        mine = client.get("/api/v1/plans/mine", {"month": "2026-03"}).json()
    assert (first.status_code, again.status_code, conflict.status_code) == (201, 200, 409)
    assert first.json()["id"] == again.json()["id"] and Task.objects.count() == 1
    assert [t["title"] for t in mine["tasks"]] == ["Họp dân thôn Nậm Lìn"]
    assert mine["plans"][0]["status"] == "draft" and Decimal(first.json()["weight"]) == Decimal("1.5")


def test_the_owner_reports_and_marks_done_and_the_assigner_assesses(world, api_as):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 9), weight="2")
    report = {"client_uuid": str(uuid.uuid4()), "quantity": "1", "note": "Đang làm"}
    with on(DAY):
        owner = api_as(world.commune_a_cadre)
        assert owner.post(f"/api/v1/plans/tasks/{task.pk}/progress", report,
                          content_type="application/json").status_code == 201
        assert owner.post(f"/api/v1/plans/tasks/{task.pk}/progress", report,
                          content_type="application/json").status_code == 200
        done = owner.post(f"/api/v1/plans/tasks/{task.pk}/done", {"client_uuid": str(uuid.uuid4())},
                          content_type="application/json")
        assert done.status_code == 201 and done.json()["task_status"] == "done"
        assert owner.post(f"/api/v1/plans/tasks/{task.pk}/assess", {"outcome": "accepted"},
                          content_type="application/json").status_code == 403
        leader = api_as(world.commune_a_leader)
        waiting = leader.get("/api/v1/plans/tasks", {"awaiting_me": "true"}).json()
        assert [t["id"] for t in waiting["items"]] == [task.pk]
        assessed = leader.post(f"/api/v1/plans/tasks/{task.pk}/assess", {"outcome": "failed", "note": "Sai số liệu"},
                               content_type="application/json")
    assert assessed.status_code == 201 and assessed.json()["task_status"] == "open"
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and ProgressReport.objects.filter(task=task).count() == 2
    assert task.delays.get().days_late == 1


@pytest.mark.parametrize("method,suffix,body", [
    ("get", "", None),
    ("post", "/progress", {"client_uuid": "6d1b7f52-8f49-4b59-9a49-2f3c1a7e5e10", "note": "x"}),
    ("post", "/done", {"client_uuid": "6d1b7f52-8f49-4b59-9a49-2f3c1a7e5e11"}),
    ("post", "/assess", {"outcome": "accepted"}),
    ("post", "/weight", {"weight": "5"}),
])
@pytest.mark.parametrize("outsider", ["other_province_leader", "commune_b_admin", "nobody"])
def test_every_task_route_answers_an_outsider_exactly_as_a_missing_task(world, api_as, method, suffix, body, outsider):
    task = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 5))
    client = api_as(getattr(world, outsider))
    kwargs = {} if body is None else {"data": body, "content_type": "application/json"}
    hidden = getattr(client, method)(f"/api/v1/plans/tasks/{task.pk}{suffix}", **kwargs)
    missing = getattr(client, method)(f"/api/v1/plans/tasks/987654{suffix}", **kwargs)
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and not task.assessments.exists() and task.weight == 1


def test_lists_hold_only_what_the_caller_sees_and_a_huge_id_is_refused(world, api_as):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    outsider = api_as(world.other_province_leader)
    assert outsider.get("/api/v1/plans/tasks").json()["count"] == 0
    assert outsider.get("/api/v1/plans/mine").json()["tasks"] == []
    assert api_as(world.commune_a_viewer).get("/api/v1/plans/tasks").json()["items"][0]["id"] == task.pk
    assert outsider.get(f"/api/v1/plans/tasks/{HUGE}").status_code == 422
