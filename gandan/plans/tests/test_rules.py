"""The pure rules: timeliness, progress and periods, over plain values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.plans.periods import month_bounds, period_bounds, quarter_bounds
from gandan.plans.progress import progress_pct
from gandan.plans.timeliness import days_overdue, due_within, timeliness

D = dt.date


def test_a_task_done_on_its_due_date_is_on_time_and_one_day_later_is_late_by_one():
    assert timeliness(due_on=D(2026, 3, 10), done_on=D(2026, 3, 10)).on_time
    assert timeliness(due_on=D(2026, 3, 10), done_on=D(2026, 3, 1)).days_late == 0
    late = timeliness(due_on=D(2026, 2, 27), done_on=D(2026, 3, 2))
    assert (late.on_time, late.days_late) == (False, 3)


@settings(deadline=None)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 1, 1)), st.integers(-400, 400))
def test_days_late_is_never_negative_and_on_time_means_zero(due, shift):
    result = timeliness(due_on=due, done_on=due + dt.timedelta(days=shift))
    assert result.days_late == max(shift, 0) and result.on_time == (shift <= 0)


def test_overdue_and_due_this_week_count_calendar_days():
    assert days_overdue(due_on=D(2026, 12, 30), today=D(2027, 1, 2)) == 3
    assert days_overdue(due_on=D(2027, 1, 2), today=D(2027, 1, 2)) == 0
    assert due_within(due_on=D(2027, 1, 7), today=D(2027, 1, 1), days=7)
    assert not due_within(due_on=D(2026, 12, 31), today=D(2027, 1, 1), days=7)


def test_progress_of_a_quantity_is_its_share_capped_and_a_done_target_is_all_or_nothing():
    assert progress_pct(target_kind="quantity", target_quantity=Decimal(8), done_quantity=Decimal(2),
                        marked_done=False) == 25
    assert progress_pct(target_kind="quantity", target_quantity=Decimal(8), done_quantity=Decimal(20),
                        marked_done=False) == 100
    assert progress_pct(target_kind="done", target_quantity=None, done_quantity=None, marked_done=False) == 0
    assert progress_pct(target_kind="done", target_quantity=None, done_quantity=None, marked_done=True) == 100


@settings(deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_every_day_lies_in_its_month_and_its_quarter(day):
    for start, end in (month_bounds(day), quarter_bounds(day)):
        assert start <= day <= end and start.day == 1
        assert (end + dt.timedelta(days=1)).day == 1
    assert quarter_bounds(day)[0].month in (1, 4, 7, 10)
    assert period_bounds("quarter", D(2026, 2, 28)) == (D(2026, 1, 1), D(2026, 3, 31))
