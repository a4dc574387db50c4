"""Only the assigner assesses — or the leader above them once they have left; failures and delays are
counted events, and an objective cause exempts one."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.people.models import Role
from gandan.people.testing import make_cadre, make_user
from gandan.plans import assess_services, services
from gandan.plans.inputs import CauseIn
from gandan.plans.models import Assessment, Delay, ObjectiveCause, PlanStatus, TaskStatus
from gandan.plans.testing import assess, assign, finish, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def leaders(world):
    """Two leaders of commune A with cadres: the deputy (who assigns) reports to the chair."""
    chair = make_cadre(world.agency_a, "Chủ tịch Hoàng Văn Hải")
    deputy = make_cadre(world.agency_a, "Phó chủ tịch Lục Thị Hoa", manager=chair)
    return (make_user("chair", role=Role.LEADER, unit=world.commune_a, cadre=chair),
            make_user("deputy", role=Role.LEADER, unit=world.commune_a, cadre=deputy))


def test_only_the_assigner_assesses_a_done_task(world, leaders):
    chair, deputy = leaders
    task = finish(assign(world, actor=deputy, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre,
                  D(2026, 3, 18))
    for outsider in (chair, world.commune_a_leader, world.commune_a_cadre, world.province_committee):
        with pytest.raises(PermissionDenied):
            assess(task, outsider, D(2026, 3, 19))
    assert not Assessment.objects.exists()
    assess(task, deputy, D(2026, 3, 19))
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED


def test_once_the_assigner_has_left_their_manager_assesses_and_they_no_longer_do(world, leaders):
    chair, deputy = leaders
    task = finish(assign(world, actor=deputy, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre,
                  D(2026, 3, 18))
    deputy.cadre.left_on = D(2026, 3, 19)
    deputy.cadre.save()
    with pytest.raises(PermissionDenied):
        assess(task, deputy, D(2026, 3, 20))
    with pytest.raises(PermissionDenied):
        assess(task, world.commune_a_leader, D(2026, 3, 20))  # a leader, but not the one above the assigner
    assess(task, chair, D(2026, 3, 20))
    assert Assessment.objects.get().assessed_by == chair


def test_a_failure_needs_its_note_is_counted_and_sends_the_task_back(world):
    task = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 10))
    with pytest.raises(ValidationError):
        assess(task, world.commune_a_leader, D(2026, 3, 11), outcome="failed")
    assess(task, world.commune_a_leader, D(2026, 3, 11), outcome="failed", note="Số liệu sai")
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    finish(task, world.commune_a_cadre, D(2026, 3, 12))
    assess(task, world.commune_a_leader, D(2026, 3, 13), outcome="failed", note="Vẫn sai")
    assert Assessment.objects.filter(task=task, outcome="failed").count() == 2


def test_a_late_completion_is_one_delay_per_due_date_and_the_assigner_may_exempt_it(world):
    task = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 24))
    delay = Delay.objects.get(task=task)
    assert (delay.days_late, delay.owner_id) == (4, world.cadre_a.pk)
    assess(task, world.commune_a_leader, D(2026, 3, 25), outcome="failed", note="Thiếu biên bản")
    finish(task, world.commune_a_cadre, D(2026, 3, 26))
    assert Delay.objects.filter(task=task).count() == 1  # the same due date is missed once
    cause = CauseIn(kind="weather", reason="Mưa lũ chia cắt thôn", evidence_link="https://example.org/lu.pdf",
                    delay_id=delay.pk)
    with pytest.raises(PermissionDenied):
        assess_services.cause_certify(actor=world.commune_a_cadre, task=task, data=cause)
    assess_services.cause_certify(actor=world.commune_a_leader, task=task, data=cause)
    assert ObjectiveCause.objects.get().delay == delay
    with pytest.raises(ValidationError):
        assess_services.cause_certify(actor=world.commune_a_leader, task=task, data=cause)


def test_a_drafted_plan_is_submitted_then_approved_and_the_approver_becomes_the_assigner(world):
    with on(D(2026, 3, 2)):
        task, _ = services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20)))
        assert task.assigner is None
        with pytest.raises(PermissionDenied):
            services.plan_submit(actor=world.commune_a_leader, plan=task.plan)
        services.plan_submit(actor=world.commune_a_cadre, plan=task.plan)
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=world.commune_a_cadre, plan=task.plan)
        with pytest.raises(ValidationError):
            services.plan_return(actor=world.commune_a_leader, plan=task.plan, reason=" ")
        services.plan_approve(actor=world.commune_a_leader, plan=task.plan)
    task.refresh_from_db()
    assert task.plan.status == PlanStatus.APPROVED and task.assigner == world.commune_a_leader
    with on(D(2026, 3, 3)), pytest.raises(ValidationError):
        services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 21), client_uuid=uuid.uuid4()))


def test_when_the_assigner_leaves_the_leader_above_is_told_of_the_tasks_waiting(world, leaders):
    from gandan.people.services import cadre_leave
    from gandan.plans.models import Reminder

    chair, deputy = leaders
    task = finish(assign(world, actor=deputy, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre,
                  D(2026, 3, 18))
    with on(D(2026, 3, 19)):
        cadre_leave(actor=None, cadre=deputy.cadre, on=D(2026, 3, 19))
    [reminder] = Reminder.objects.filter(recipient=chair)
    assert (reminder.task, reminder.kind) == (task, "handed_over")
