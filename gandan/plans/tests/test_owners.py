"""One owner per task, as a database constraint; reassignment closes the old owner's share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gandan.core.models import AuditEvent
from gandan.people.testing import make_cadre
from gandan.plans import services
from gandan.plans.models import Task, TaskShare
from gandan.plans.testing import assign, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_task_has_one_owner_column_that_cannot_be_empty(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(owner=None)


def test_a_task_never_has_two_open_shares(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    other = make_cadre(world.agency_a, "Lò Văn Sáng")
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskShare.objects.create(task=task, cadre=other, started_on=D(2026, 3, 5))
    assert list(task.shares.values_list("cadre_id", "ended_on")) == [(world.cadre_a.pk, None)]


def test_reassignment_closes_the_old_share_opens_one_and_moves_the_task_with_an_audit_event(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    other = make_cadre(world.agency_a, "Lò Văn Sáng")
    with on(D(2026, 3, 10)):
        services.task_reassign(actor=world.commune_a_leader, task=task, to=other, reason="Nghỉ phép dài ngày")
    task.refresh_from_db()
    assert task.owner_id == other.pk and task.plan.cadre_id == other.pk
    assert list(task.shares.values_list("cadre_id", "started_on", "ended_on")) == [
        (world.cadre_a.pk, D(2026, 3, 2), D(2026, 3, 10)), (other.pk, D(2026, 3, 10), None)]
    event = AuditEvent.objects.get(action="task.reassign")
    assert event.before["owner_id"] == world.cadre_a.pk and event.after["owner_id"] == other.pk


def test_a_cadre_may_not_reassign_and_nothing_changes(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20))
    other = make_cadre(world.agency_a, "Lò Văn Sáng")
    with pytest.raises(PermissionDenied):
        services.task_reassign(actor=world.commune_a_cadre, task=task, to=other, reason="x")
    assert TaskShare.objects.filter(task=task).count() == 1
    assert not AuditEvent.objects.filter(action="task.reassign").exists()


def test_adding_a_task_twice_with_one_uuid_writes_it_once_and_another_body_conflicts(world):
    data = task_in(cadre_id=world.cadre_a.pk, due_on=D(2026, 3, 20))
    with on(D(2026, 3, 2)):
        first, created = services.task_add(actor=world.commune_a_leader, data=data)
        again, created_again = services.task_add(actor=world.commune_a_leader, data=data)
        assert (created, created_again, first.pk) == (True, False, again.pk)
        with pytest.raises(services.TaskConflict):
            services.task_add(actor=world.commune_a_leader, data=data.model_copy(update={"title": "Việc khác"}))
    assert Task.objects.count() == 1


def test_a_task_outside_the_catalogue_needs_an_agreed_weight_and_a_due_date_in_the_plan(world):
    with on(D(2026, 3, 2)), pytest.raises(ValidationError) as refused:
        services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20), weight=None))
    assert "weight" in refused.value.message_dict
    assert not Task.objects.exists()
