"""Who is late, on each side of every step deadline: the day itself is still on time, the day after is
late; the days are the rubric's the month's sheets were made with."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.evaluation import queries
from gandan.evaluation.testing import MONTH, open_month, province_rubric, self_assess, sheet_of
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
D = dt.date


def _row(world, today):
    (row,) = queries.status_board(world.commune_a_leader, MONTH, today)
    return row


def test_each_step_is_late_only_after_its_deadline_day(world):
    month = open_month(world)  # March, the shipped days: 3, 5 and 8 April
    name = world.cadre_a.full_name
    row = _row(world, D(2026, 4, 1))
    assert row.deadlines == (D(2026, 4, 3), D(2026, 4, 5), D(2026, 4, 8))
    assert (row.late_self, row.late_assessors, row.late_conclusion) == ([], [], False)
    assert name not in _row(world, D(2026, 4, 3)).late_self  # the deadline day itself
    assert name in _row(world, D(2026, 4, 4)).late_self
    with on(D(2026, 4, 4)):
        self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 25)
    assert name not in _row(world, D(2026, 4, 4)).late_self
    assert _row(world, D(2026, 4, 5)).late_assessors == []
    assert _row(world, D(2026, 4, 6)).late_assessors == [world.agency_a.name]  # no manager: the unit's leaders
    assert _row(world, D(2026, 4, 8)).late_conclusion is False
    assert _row(world, D(2026, 4, 9)).late_conclusion is True


def test_the_days_are_the_rubric_of_the_months_sheets(world):
    province_rubric(world, deadlines=[10, 15, 20])
    open_month(world)
    row = _row(world, D(2026, 4, 10))
    assert row.deadlines == (D(2026, 4, 10), D(2026, 4, 15), D(2026, 4, 20))
    assert (row.late_self, row.late_conclusion) == ([], False)
    assert _row(world, D(2026, 4, 11)).late_self == [world.cadre_a.full_name]
    assert _row(world, D(2026, 4, 21)).late_conclusion is True


def test_a_december_month_is_due_in_january():
    assert queries.step_deadline(D(2026, 12, 1), 8) == D(2027, 1, 8)
