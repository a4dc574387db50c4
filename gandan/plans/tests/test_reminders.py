"""Reminders before due dates, for overdue tasks and for assessments waiting: once a day each."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.plans.models import Reminder
from gandan.plans.reminders import send_reminders
from gandan.plans.tasks import remind_due_and_waiting_tasks
from gandan.plans.testing import assign, finish, on

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_owner_hears_of_a_task_due_soon_and_overdue_and_the_assigner_of_one_waiting(world):
    soon = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12))
    late = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 9))
    waiting = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 8))
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 30))  # far off: nothing
    counts = send_reminders(D(2026, 3, 10))
    assert counts["written"] == 3
    assert set(Reminder.objects.values_list("recipient__username", "task_id", "kind")) == {
        ("commune_a_cadre", soon.pk, "due_soon"), ("commune_a_cadre", late.pk, "overdue"),
        ("commune_a_leader", waiting.pk, "awaiting")}
    assert "10/03/2026" not in Reminder.objects.get(task=soon).message and "12/03/2026" in Reminder.objects.get(
        task=soon).message
    assert send_reminders(D(2026, 3, 10))["written"] == 0  # the same day again: nothing new


def test_the_periodic_job_runs_the_same_service(world, settings):
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12))
    with on(D(2026, 3, 11)):
        remind_due_and_waiting_tasks.call_local()
    assert Reminder.objects.filter(kind="due_soon").count() == 1
