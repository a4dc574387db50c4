"""The work log's bounds as plain rules: a day's total, the days a line may be written for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gandan.plans.worklog import DAY_MAX_HOURS, fits_the_day, may_log_on, over_normal, room_left

HOURS = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(24), places=1)


@given(st.lists(HOURS, max_size=30))
def test_lines_accepted_one_by_one_never_make_a_day_longer_than_the_bound(lines):
    logged = Decimal(0)
    for hours in lines:
        if fits_the_day(logged=logged, adding=hours):
            logged += hours
    assert logged <= DAY_MAX_HOURS == Decimal(12)


@given(HOURS, HOURS)
def test_a_line_fits_exactly_when_it_is_no_more_than_the_room_left(logged, adding):
    assert fits_the_day(logged=logged, adding=adding) == (adding <= room_left(logged))


def test_a_line_of_no_hours_never_fits_and_the_normal_day_is_eight_hours():
    assert not fits_the_day(logged=Decimal(0), adding=Decimal(0))
    assert not over_normal(Decimal(8)) and over_normal(Decimal("8.5"))


def test_a_line_is_written_for_today_or_the_week_before():
    today = dt.date(2026, 3, 10)
    assert may_log_on(day=today, today=today) and may_log_on(day=dt.date(2026, 3, 3), today=today)
    assert not may_log_on(day=dt.date(2026, 3, 2), today=today)
    assert not may_log_on(day=dt.date(2026, 3, 11), today=today)
