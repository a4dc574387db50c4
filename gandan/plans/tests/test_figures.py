"""The figures for evaluation against sets computed by hand: weights, a reassignment in the middle of
the period, failures and delays, and a delay exempted by an objective cause."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gandan.people.testing import make_cadre, make_user
from gandan.plans import assess_services, services
from gandan.plans.figures import figures_for
from gandan.plans.inputs import CauseIn
from gandan.plans.models import Delay
from gandan.plans.testing import assess, assign, finish, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))


def q(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.0001"))


def test_weights_of_assigned_completed_accepted_and_on_time_tasks(world):
    leader, cadre = world.commune_a_leader, world.commune_a_cadre
    accepted = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="2")
    assess(finish(accepted, cadre, D(2026, 3, 19)), leader, D(2026, 3, 20))
    waiting = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 25), weight="3"), cadre, D(2026, 3, 25))
    still_open = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 31), weight="1.5")
    assign(world, given=D(2026, 3, 2), due=D(2026, 4, 2), weight="7")  # due in April: not in March
    with on(D(2026, 3, 2)):  # drafted by the cadre, in a plan not yet approved: not assigned yet
        services.task_add(actor=cadre, data=task_in(
            due_on=D(2026, 3, 28), weight=Decimal(9), period="quarter"))

    f = figures_for([world.cadre_a.pk], *MARCH)[world.cadre_a.pk]

    assert (f.assigned, f.completed, f.completed_at_quality, f.completed_on_time) == (
        q("6.5"), q("5"), q("2"), q("5"))
    assert f.assigned_ids == sorted([accepted.pk, waiting.pk, still_open.pk])
    assert f.completed_ids == sorted([accepted.pk, waiting.pk]) == f.on_time_ids
    assert f.quality_ids == [accepted.pk]
    assert (f.quality_deduction, f.progress_deduction, f.failures, f.delays, f.exemptions) == (0, 0, 0, 0, [])


def test_a_task_reassigned_half_way_splits_its_weight_by_the_days_each_owner_held_it(world):
    other = make_cadre(world.agency_a, "Lò Văn Sáng")
    task = assign(world, given=D(2026, 3, 1), due=D(2026, 3, 31), weight="3")
    with on(D(2026, 3, 16)):
        task = services.task_reassign(actor=world.commune_a_leader, task=task, to=other, reason="Điều động")
    other_user = make_user("sang", cadre=other)
    assess(finish(task, other_user, D(2026, 3, 31)), world.commune_a_leader, D(2026, 3, 31))

    figures = figures_for([world.cadre_a.pk, other.pk], *MARCH)
    first, second = figures[world.cadre_a.pk], figures[other.pk]

    # 31 days from 1 to 31 March: cadre A held 1–15 (15 days), the other 16–31 (16 days)
    assert first.assigned == first.completed == first.completed_at_quality == q(str(3 * 15 / 31))
    assert second.assigned == second.completed_at_quality == second.completed_on_time == q(str(3 * 16 / 31))
    assert first.assigned_ids == second.assigned_ids == [task.pk]


def test_failures_and_delays_cost_a_quarter_of_the_weight_each_unless_a_cause_exempts_them(world):
    leader, cadre = world.commune_a_leader, world.commune_a_cadre
    excused = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="2")
    finish(excused, cadre, D(2026, 3, 24))  # 4 days late
    failure = assess(excused, leader, D(2026, 3, 25), outcome="failed", note="Thiếu biên bản")
    assess(finish(excused, cadre, D(2026, 3, 26)), leader, D(2026, 3, 27))
    delay = Delay.objects.get(task=excused)
    with on(D(2026, 3, 27)):
        cause = assess_services.cause_certify(actor=leader, task=excused, data=CauseIn(
            kind="weather", reason="Sạt lở đường vào thôn", evidence_link="https://example.org/bb.pdf",
            delay_id=delay.pk))
    late = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 10), weight="1"), cadre, D(2026, 3, 12))

    f = figures_for([world.cadre_a.pk], *MARCH)[world.cadre_a.pk]

    assert (f.assigned, f.completed, f.completed_at_quality) == (q("3"), q("3"), q("2"))
    assert f.completed_on_time == q("2") and f.on_time_ids == [excused.pk]  # the late one's delay stands
    assert (f.quality_deduction, f.failures, f.failure_ids) == (q("0.5"), 1, [(excused.pk, failure.pk)])
    late_delay = Delay.objects.get(task=late)
    assert (f.progress_deduction, f.delays, f.delay_ids) == (q("0.25"), 1, [(late.pk, late_delay.pk)])
    [exemption] = f.exemptions
    assert (exemption.task_id, exemption.kind, exemption.event_id, exemption.cause_id, exemption.units) == (
        excused.pk, "progress", delay.pk, cause.pk, q("0.5"))


def test_no_cadres_no_figures_and_a_cadre_without_tasks_has_zeros(world):
    assert figures_for([], *MARCH) == {}
    f = figures_for([world.cadre_b.pk], *MARCH)[world.cadre_b.pk]
    assert (f.assigned, f.assigned_ids) == (0, [])
