"""The optional daily work log: only where the agency keeps one, only one's own lines and tasks, a day
bounded (worklog.py), a retry written once, audited; the assessor sees a day declared beyond the
normal hours on the task's page; the screen, the setting and the API, each with an outsider."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.people.models import Role
from gandan.people.testing import make_cadre, make_user
from gandan.plans import work_services
from gandan.plans.inputs import WorkLogIn
from gandan.plans.models import PlanSetting, WorkLogEntry
from gandan.plans.testing import assign, finish, on

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)


@pytest.fixture
def log_on(world):
    PlanSetting.objects.create(agency=world.agency_a, work_log=True)


def line(hours: str, day: dt.date = DAY, note: str = "Họp dân thôn Nậm Lìn", **extra) -> WorkLogIn:
    return WorkLogIn(date=day, hours=Decimal(hours), note=note, **extra)


def add(world, hours: str, *, task=None, actor=None, **extra):
    with on(DAY):
        return work_services.work_log_add(actor=actor or world.commune_a_cadre, data=line(hours, **extra), task=task)


def test_an_agency_without_the_log_refuses_a_line_and_hides_the_menu(world, client_as):
    with pytest.raises(PermissionDenied) as refused:
        add(world, "2")
    assert str(refused.value) == "Cơ quan của bạn không dùng nhật ký công việc."
    client = client_as(world.commune_a_cadre)
    assert reverse("plans-log") not in client.get(reverse("plans-home")).content.decode()
    page = client.get(reverse("plans-log")).content.decode()
    assert 'data-testid="log-off"' in page and 'data-testid="log-form"' not in page
    assert not WorkLogEntry.objects.exists()


def test_a_day_holds_twelve_hours_at_most_and_the_refusal_says_what_is_left(world, log_on):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    add(world, "8", task=task)
    add(world, "3.5")
    with pytest.raises(ValidationError) as refused:
        add(world, "1")
    assert refused.value.message_dict == {"hours": [
        "Một ngày ghi không quá 12 giờ; ngày 10/03/2026 đã ghi 11,5 giờ, còn ghi được 0,5 giờ."]}
    add(world, "0.5")
    assert sum(WorkLogEntry.objects.values_list("hours", flat=True)) == 12
    assert AuditEvent.objects.filter(action="plans.work_log").count() == 3


def test_a_retry_with_the_same_uuid_is_written_once(world, log_on):
    key = uuid.uuid4()
    first, created = add(world, "4", client_uuid=key)
    again, created_again = add(world, "4", client_uuid=key)
    assert (created, created_again, first.pk) == (True, False, again.pk) and WorkLogEntry.objects.count() == 1


@pytest.mark.parametrize("day", [D(2026, 3, 2), D(2026, 3, 11)])
def test_a_line_for_a_day_too_long_ago_or_to_come_is_refused(world, log_on, day):
    with pytest.raises(ValidationError) as refused:
        add(world, "2", day=day)
    assert list(refused.value.message_dict) == ["date"] and not WorkLogEntry.objects.exists()


def test_a_line_goes_only_against_ones_own_task(world, log_on):
    colleague = make_user("dong_nghiep", role=Role.CADRE, unit=world.commune_a,
                          cadre=make_cadre(world.agency_a, "Hà Thị Lan"))
    theirs = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), cadre_id=colleague.cadre_id)
    with pytest.raises(ValidationError) as refused:
        add(world, "2", task=theirs)
    assert list(refused.value.message_dict) == ["task_id"] and not WorkLogEntry.objects.exists()


def test_the_phone_screen_adds_a_line_and_shows_only_my_own_days(world, client_as, log_on):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    colleague = make_user("dong_nghiep", role=Role.CADRE, unit=world.commune_a,
                          cadre=make_cadre(world.agency_a, "Hà Thị Lan"))
    add(world, "3", actor=colleague, note="Việc riêng của đồng nghiệp")
    client = client_as(world.commune_a_cadre)
    with on(DAY):
        assert reverse("plans-log") in client.get(reverse("plans-home")).content.decode()
        response = client.post(reverse("plans-log"), {"client_uuid": str(uuid.uuid4()), "date": "10/03/2026",
                                                      "hours": "9", "task": task.pk, "note": "Rà soát hộ nghèo"})
        assert response.status_code == 302
        page = client.get(reverse("plans-log")).content.decode()
    assert "Rà soát hộ nghèo" in page and 'data-testid="log-day"' in page
    assert "Việc riêng của đồng nghiệp" not in page
    entry = WorkLogEntry.objects.get(cadre=world.cadre_a)
    assert (entry.task_id, entry.hours, entry.date) == (task.pk, 9, DAY)


def test_the_screen_refuses_a_task_that_is_not_mine_and_writes_nothing(world, client_as, log_on):
    other = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20),
                   cadre_id=make_cadre(world.agency_a, "Lò Văn Sáng").pk)
    with on(DAY):
        page = client_as(world.commune_a_cadre).post(reverse("plans-log"), {
            "client_uuid": str(uuid.uuid4()), "date": "10/03/2026", "hours": "2", "task": other.pk, "note": "x"})
    assert page.status_code == 200 and not WorkLogEntry.objects.exists()


def test_the_assessor_sees_a_day_beyond_the_normal_hours_a_colleague_sees_no_log(world, client_as, log_on):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    add(world, "6", task=task)
    add(world, "4", note="Trực tiếp dân")
    with on(DAY):
        page = client_as(world.commune_a_leader).get(reverse("plans-task", args=[task.pk])).content.decode()
    assert 'data-testid="task-log"' in page and 'data-testid="log-over-normal"' in page and "10 giờ" in page
    finish(task, world.commune_a_cadre, DAY)
    with on(DAY):
        waiting = client_as(world.commune_a_leader).get(reverse("plans-awaiting")).content.decode()
    assert "nhật ký 6 giờ" in waiting
    colleague = make_user("dong_nghiep", role=Role.CADRE, unit=world.commune_a,
                          cadre=make_cadre(world.agency_a, "Hà Thị Lan"))
    task.plan.__class__.objects.filter(pk=task.plan_id).update(status="approved")
    with on(DAY):
        public = client_as(colleague).get(reverse("plans-task", args=[task.pk]))
    assert public.status_code == 200 and 'data-testid="task-log"' not in public.content.decode()


def test_a_leader_turns_the_log_on_for_their_agency_a_cadre_may_not(world, client_as):
    with on(DAY):
        client_as(world.commune_a_cadre).post(reverse("plans-log-setting"), {"enabled": "1"})
        assert not work_services.work_log_enabled(world.agency_a.pk)
        leader_cadre = make_cadre(world.agency_a, "Hoàng Văn Hải")
        leader = make_user("chu_tich", role=Role.LEADER, unit=world.commune_a, cadre=leader_cadre)
        assert client_as(leader).post(reverse("plans-log-setting"), {"enabled": "1"}).status_code == 302
    assert work_services.work_log_enabled(world.agency_a.pk)
    event = AuditEvent.objects.get(action="plans.setting")
    assert (event.before, event.after) == ({"work_log": False}, {"work_log": True})
    with pytest.raises(PermissionDenied):
        work_services.work_log_setting(actor=world.other_province_leader, agency_id=world.agency_a.pk, enabled=False)
    assert work_services.work_log_enabled(world.agency_a.pk)


def test_the_api_adds_a_line_once_lists_my_days_and_refuses_a_missing_task_and_an_outsider(world, api_as, log_on):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    body = {"client_uuid": str(uuid.uuid4()), "date": "2026-03-10", "hours": "9", "note": "Họp dân",
            "task_id": task.pk}
    with on(DAY):
        client = api_as(world.commune_a_cadre)
        first = client.post("/api/v1/plans/log", body, content_type="application/json")
        again = client.post("/api/v1/plans/log", body, content_type="application/json")
        days = client.get("/api/v1/plans/log").json()
        missing = client.post("/api/v1/plans/log", {**body, "client_uuid": str(uuid.uuid4()), "task_id": 987654},
                              content_type="application/json")
        too_much = client.post("/api/v1/plans/log", {**body, "client_uuid": str(uuid.uuid4()), "hours": "4"},
                               content_type="application/json")
        outsider = api_as(world.other_province_leader).post("/api/v1/plans/log", {**body, "client_uuid": str(
            uuid.uuid4())}, content_type="application/json")
    assert (first.status_code, again.status_code, missing.status_code) == (201, 200, 404)
    assert Decimal(first.json()["day_total"]) == 9 and too_much.status_code == 422
    assert outsider.status_code == 404 and WorkLogEntry.objects.count() == 1
    assert [(d["date"], d["over_normal"], len(d["entries"])) for d in days] == [("2026-03-10", True, 1)]
