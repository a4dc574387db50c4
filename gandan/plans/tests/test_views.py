"""The screens: the owner's phone flow, the leader's decisions, and every route answering an outsider
exactly as a missing object."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from gandan.people.models import Cadre, Role
from gandan.people.testing import assert_denied_like_missing, make_cadre, make_user
from gandan.plans import assess_services, services
from gandan.plans.inputs import CauseIn
from gandan.plans.models import Plan, PlanStatus, ProgressReport, Task, TaskStatus
from gandan.plans.testing import assess, assign, finish, make_item, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)
MISSING = 987654


@pytest.fixture
def task(world):
    return assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="2")


def test_the_owner_adds_a_task_reports_progress_and_marks_it_done(world, client_as):
    client = client_as(world.commune_a_cadre)
    item = make_item(world.agency_a, weight="1.5")
    with on(DAY):
        page = client.get(reverse("plans-task-new"))
        assert page.status_code == 200 and item.name in page.content.decode()
        response = client.post(reverse("plans-task-new"), {
            "client_uuid": str(uuid.uuid4()), "title": "Tham mưu kế hoạch tháng", "catalogue_item": item.pk,
            "target_kind": "quantity", "target_quantity": "2", "target_unit": "", "due_on": "2026-03-25",
            "period": "month"})
        task = Task.objects.get()
        assert response.status_code == 302 and (task.weight, task.target_unit) == (3, "văn bản")
        assert client.get(reverse("plans-home")).status_code == 200
        assert client.get(reverse("plans-home") + "?view=board&month=2026-03").status_code == 200
        client.post(reverse("plans-task-report", args=[task.pk]), {
            "client_uuid": str(uuid.uuid4()), "quantity": "1", "note": "Đã xong một văn bản", "done": "0"})
        client.post(reverse("plans-task-report", args=[task.pk]), {
            "client_uuid": str(uuid.uuid4()), "note": "Xong", "done": "1"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on == DAY and ProgressReport.objects.count() == 2


def test_the_leader_approves_a_submitted_plan_and_assesses_a_done_task(world, client_as):
    with on(DAY):
        task, _ = services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20)))
        services.plan_submit(actor=world.commune_a_cadre, plan=task.plan)
        client = client_as(world.commune_a_leader)
        assert world.cadre_a.full_name in client.get(reverse("plans-team") + "?month=2026-03").content.decode()
        client.post(reverse("plans-plan-decide", args=[task.plan_id, "approve"]))
    task.refresh_from_db()
    assert task.plan.status == PlanStatus.APPROVED and task.assigner == world.commune_a_leader
    finish(task, world.commune_a_cadre, D(2026, 3, 12))
    with on(D(2026, 3, 13)):
        client = client_as(world.commune_a_leader)  # a session lasts 8 hours
        assert task.title in client.get(reverse("plans-awaiting")).content.decode()
        client.post(reverse("plans-task-assess", args=[task.pk]), {"outcome": "accepted", "note": ""})
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED


def test_an_approved_plan_is_public_in_the_agency_a_draft_is_not(world, client_as):
    colleague = make_user("dong_nghiep", role=Role.CADRE, unit=world.commune_a,
                          cadre=make_cadre(world.agency_a, "Hà Thị Lan"))
    with on(DAY):
        task, _ = services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20)))
    client = client_as(colleague)
    url = reverse("plans-plan", args=[task.plan_id])
    assert client.get(url).status_code == 404
    Plan.objects.filter(pk=task.plan_id).update(status=PlanStatus.APPROVED)
    page = client.get(url)
    assert page.status_code == 200 and task.title in page.content.decode()
    assert world.cadre_a.phone not in page.content.decode()
    assert client.get(reverse("plans-task", args=[task.pk])).status_code == 200


@pytest.mark.parametrize("outsider", ["other_province_leader", "commune_b_admin", "nobody", "commune_a_viewer"])
def test_every_page_of_a_task_or_plan_answers_an_outsider_as_a_missing_one(world, client_as, caplog, task, outsider):
    user = getattr(world, outsider)
    if outsider == "commune_a_viewer":  # a viewer of the unit sees it: the check is for those outside
        assert client_as(user).get(reverse("plans-task", args=[task.pk])).status_code == 200
        return
    client = client_as(user)
    assert_denied_like_missing(client, caplog, user, reverse("plans-task", args=[task.pk]),
                               reverse("plans-task", args=[MISSING]), kind="plans.task", object_id=task.pk)
    assert_denied_like_missing(client, caplog, user, reverse("plans-plan", args=[task.plan_id]),
                               reverse("plans-plan", args=[MISSING]), kind="plans.plan", object_id=task.plan_id)


@pytest.mark.parametrize("route,body", [
    ("plans-task-report", {"client_uuid": str(uuid.uuid4()), "note": "x", "done": "1"}),
    ("plans-task-assess", {"outcome": "accepted"}),
    ("plans-task-cause", {"kind": "weather", "reason": "x", "evidence_link": "https://example.org", "delay": "1"}),
    ("plans-task-reassign", {"cadre": "1", "reason": "x"}),
    ("plans-task-weight", {"weight": "5"}),
])
def test_every_step_on_a_task_answers_an_outsider_404_and_changes_nothing(world, client_as, task, route, body):
    client = client_as(world.other_province_leader)
    hidden = client.post(reverse(route, args=[task.pk]), body)
    missing = client.post(reverse(route, args=[MISSING]), body)
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    task.refresh_from_db()
    assert (task.status, task.owner_id, task.reports.count(), task.weight) == (TaskStatus.OPEN, world.cadre_a.pk, 0, 2)


@pytest.mark.parametrize("step", ["submit", "approve", "return"])
def test_plan_decisions_answer_an_outsider_404_and_change_nothing(world, client_as, task, step):
    client = client_as(world.commune_b_admin)
    assert client.post(reverse("plans-plan-decide", args=[task.plan_id, step]), {"reason": "x"}).status_code == 404
    assert Plan.objects.get(pk=task.plan_id).status == PlanStatus.DRAFT


def test_lists_show_only_what_is_in_scope(world, client_as, task):
    with on(D(2026, 3, 18)):
        for name in ("plans-home", "plans-due", "plans-awaiting", "plans-team", "plans-catalogue"):
            page = client_as(world.other_province_leader).get(reverse(name))
            assert page.status_code == 200 and task.title not in page.content.decode()
        assert task.title in client_as(world.commune_a_leader).get(reverse("plans-due")).content.decode()
        assert task.title in client_as(world.commune_a_cadre).get(reverse("plans-due")).content.decode()


def test_the_catalogue_page_offers_the_template_and_an_outsider_agency_is_missing(world, client_as):
    make_item(world.agency_a)
    page = client_as(world.commune_a_cadre).get(reverse("plans-catalogue"))
    assert page.status_code == 200 and "Tham mưu văn bản chỉ đạo" in page.content.decode()
    template = client_as(world.commune_a_cadre).get(reverse("plans-catalogue-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    hidden = client_as(world.other_province_leader).get(reverse("plans-catalogue") + f"?agency={world.agency_a.pk}")
    assert hidden.status_code == 404


def test_a_colleague_reads_the_approved_plan_without_anyones_personal_data(world, client_as):
    """The public plan ("công khai trong đơn vị"): titles, dates, weights and states, and that a deduction
    was exempted — never a phone, an e-mail, a birth date, progress notes, assessment notes, the reason
    of an objective cause (it may be a sick leave), its evidence, or why an owner handed a task over."""
    Cadre.objects.filter(pk=world.cadre_a.pk).update(phone="0912345678", email="binh.tt@nghiathuan.gov.vn",
                                                     birth_date=D(1990, 4, 17))
    colleague = make_user("dong_nghiep", role=Role.CADRE, unit=world.commune_a,
                          cadre=make_cadre(world.agency_a, "Hà Thị Lan"))
    late = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 9), title="Báo cáo rà soát hộ nghèo")
    finish(late, world.commune_a_cadre, D(2026, 3, 11), note="Gửi kèm danh sách 12 hộ và số điện thoại")
    assess(late, world.commune_a_leader, D(2026, 3, 12), outcome="failed", note="Thiếu chữ ký hộ dân")
    with on(D(2026, 3, 12)):
        assess_services.cause_certify(actor=world.commune_a_leader, task=late, data=CauseIn(
            kind="leave", reason="Cán bộ nghỉ ốm theo chế độ", evidence_link="https://so.gov.vn/giay-nghi-om",
            delay_id=late.delays.get().pk))
    handed = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 25), title="Tuyên truyền phòng cháy rừng",
                    cadre_id=colleague.cadre_id)
    with on(D(2026, 3, 13)):
        services.task_reassign(actor=world.commune_a_leader, task=handed, to=world.cadre_a,
                               reason="Chị Lan nghỉ thai sản")
    Plan.objects.filter(cadre=world.cadre_a).update(status=PlanStatus.APPROVED)
    client = client_as(colleague)
    with on(D(2026, 3, 14)):
        pages = [client.get(reverse("plans-plan", args=[late.plan_id])),
                 client.get(reverse("plans-task", args=[late.pk])), client.get(reverse("plans-task", args=[handed.pk]))]
    assert [p.status_code for p in pages] == [200, 200, 200]
    text = "".join(p.content.decode() for p in pages)
    assert "Báo cáo rà soát hộ nghèo" in text and 'data-testid="exempted"' in text
    for private in ("0912345678", "binh.tt@nghiathuan.gov.vn", "17/04/1990", "Gửi kèm danh sách", "Thiếu chữ ký",
                    "nghỉ ốm", "giay-nghi-om", "thai sản"):
        assert private not in text, private
    owner_view = client_as(world.commune_a_leader).get(reverse("plans-task", args=[late.pk])).content.decode()
    assert "Cán bộ nghỉ ốm theo chế độ" in owner_view and "Thiếu chữ ký hộ dân" in owner_view


def test_an_approved_plan_is_not_public_to_another_agency(world, client_as, task):
    Plan.objects.filter(pk=task.plan_id).update(status=PlanStatus.APPROVED)
    outsider = make_user("xa_b", role=Role.CADRE, unit=world.commune_b, cadre=make_cadre(world.agency_b, "Vàng Thị Dợ"))
    assert client_as(outsider).get(reverse("plans-plan", args=[task.plan_id])).status_code == 404
    assert client_as(outsider).get(reverse("plans-task", args=[task.pk])).status_code == 404
