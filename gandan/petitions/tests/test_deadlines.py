"""Working-time arithmetic across lunch breaks, weekends and holidays, both directions; the deadline
rules. Examples first, then properties over any start and amount (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.petitions import deadlines
from gandan.petitions.deadlines import DAYS, HOURS, Rule, WorkingCalendar
from gandan.petitions.holidays import DEFAULT_EXTRA_WORKDAYS, DEFAULT_HOLIDAYS

H = dt.timedelta(hours=1)
CAL = WorkingCalendar(holidays=frozenset(d for d, _ in DEFAULT_HOLIDAYS),
                      extra_workdays=frozenset(d for d, _ in DEFAULT_EXTRA_WORKDAYS))
PLAIN = WorkingCalendar()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm)


# -- examples --------------------------------------------------------------------------------------
def test_a_day_has_seven_and_a_half_working_hours():
    assert CAL.hours_per_day == dt.timedelta(hours=7, minutes=30)


def test_hours_skip_the_lunch_break():
    assert CAL.add(at(2025, 7, 1, 10, 30), 2 * H) == at(2025, 7, 1, 14, 30)


def test_friday_afternoon_runs_into_monday_morning():
    assert CAL.add(at(2025, 7, 4, 16, 0), 3 * H) == at(2025, 7, 7, 9, 30)


def test_a_start_outside_office_hours_counts_from_the_next_opening():
    assert CAL.add(at(2025, 7, 5, 22, 0), H) == at(2025, 7, 7, 8, 30)  # Saturday night
    assert CAL.add(at(2025, 7, 1, 12, 0), H) == at(2025, 7, 1, 14, 30)  # lunch


def test_a_deadline_may_fall_exactly_at_closing_time():
    assert CAL.add(at(2025, 7, 1, 16, 0), H) == at(2025, 7, 1, 17, 0)


def test_tet_holidays_are_skipped():
    # Friday 24 January 2025 16:00 + 8 working hours: Tết runs 27–31 January, so Monday 3 February.
    assert CAL.add(at(2025, 1, 24, 16, 0), 8 * H) == at(2025, 2, 3, 16, 30)


def test_a_compensatory_saturday_is_a_working_day():
    assert CAL.is_working_day(dt.date(2025, 4, 26))
    assert not CAL.is_working_day(dt.date(2025, 5, 2))
    assert CAL.add(at(2025, 4, 25, 16, 30), H) == at(2025, 4, 26, 8, 0)


def test_backwards_mirrors_forwards():
    assert CAL.add(at(2025, 7, 7, 9, 30), -3 * H) == at(2025, 7, 4, 16, 0)
    assert CAL.add(at(2025, 7, 1, 14, 30), -2 * H) == at(2025, 7, 1, 10, 30)


def test_working_time_between_two_moments_is_signed():
    assert CAL.between(at(2025, 7, 4, 16, 0), at(2025, 7, 7, 9, 30)) == 3 * H
    assert CAL.between(at(2025, 7, 7, 9, 30), at(2025, 7, 4, 16, 0)) == -3 * H
    assert CAL.between(at(2025, 7, 5, 8), at(2025, 7, 6, 17)) == dt.timedelta(0)


def test_ten_working_days_end_at_closing_of_the_tenth_working_day_after():
    # Received Monday 1 September 2025; 1–2 September are National Day: days count from 3 September.
    assert CAL.add_days(at(2025, 9, 1, 9, 0), 10) == at(2025, 9, 16, 17, 0)
    assert CAL.add_days(at(2025, 9, 16, 9, 0), -1) == at(2025, 9, 15, 7, 30)
    assert CAL.add_days(at(2025, 9, 16, 9, 0), 0) == at(2025, 9, 16, 9, 0)


def test_default_rules_are_stated_in_the_ui_and_applied():
    rules: list[Rule] = []
    start = at(2025, 7, 1, 9, 0)
    normal = deadlines.deadlines_for(CAL, start, rules, field="land", urgency="normal", level="commune")
    urgent = deadlines.deadlines_for(CAL, start, rules, field="land", urgency="urgent", level="commune")
    complex_ = deadlines.deadlines_for(CAL, start, rules, field="land", urgency="complex", level="commune")
    assert normal.accept_by == at(2025, 7, 2, 9, 30)  # 8 working hours: 2.5 + 3.5 today, 2 tomorrow
    assert normal.resolve_by == at(2025, 7, 15, 17, 0)  # 10 working days
    assert urgent.resolve_by == at(2025, 7, 1, 15, 0)  # 4 working hours
    assert urgent.accept_by == urgent.resolve_by  # never later than the answer is due
    assert complex_.resolve_by == CAL.add_days(start, 30)


def test_the_most_specific_rule_wins_and_a_province_rule_beats_a_default():
    custom = [Rule("resolve", 5, DAYS, field="land", custom=True), Rule("resolve", 20, DAYS, custom=True),
              Rule("resolve", 2, HOURS, field="land", urgency="urgent", level="province", custom=True)]
    pick = deadlines.pick_rule
    assert pick(custom, stage="resolve", field="land", urgency="normal", level="commune").amount == 5
    assert pick(custom, stage="resolve", field="health", urgency="complex", level="commune").amount == 30
    assert pick(custom, stage="resolve", field="health", urgency="", level="commune").amount == 20
    assert pick(custom, stage="resolve", field="land", urgency="urgent", level="province").amount == 2
    assert pick(custom, stage="accept", field="land", urgency="urgent", level="province").amount == 8


@pytest.mark.parametrize("periods", [((dt.time(9), dt.time(8)),), ((dt.time(8), dt.time(12)), (dt.time(11),
                                                                                              dt.time(13))), ()])
def test_a_calendar_refuses_impossible_hours(periods):
    with pytest.raises(deadlines.CalendarError):
        WorkingCalendar(periods=periods)


def test_a_calendar_needs_a_working_weekday():
    with pytest.raises(deadlines.CalendarError):
        WorkingCalendar(weekdays=frozenset())


# -- properties ------------------------------------------------------------------------------------
moments = st.datetimes(min_value=dt.datetime(2024, 12, 1), max_value=dt.datetime(2027, 10, 1)).map(
    lambda d: d.replace(second=0, microsecond=0))
amounts = st.integers(min_value=0, max_value=60 * 7 * 40).map(lambda m: dt.timedelta(minutes=m))  # up to 40 days
calendars = st.sampled_from([CAL, PLAIN, WorkingCalendar(weekdays=frozenset({0, 1, 2, 3, 4, 5}))])


@settings(max_examples=300, deadline=None)
@given(calendars, moments, amounts)
def test_adding_then_measuring_gives_the_amount_back(cal, start, amount):
    end = cal.add(start, amount)
    assert end >= start
    assert cal.between(start, end) == amount


@settings(max_examples=300, deadline=None)
@given(calendars, moments, amounts)
def test_going_back_then_measuring_gives_the_amount_back(cal, start, amount):
    begin = cal.add(start, -amount)
    assert begin <= start
    assert cal.between(begin, start) == amount


@settings(max_examples=200, deadline=None)
@given(calendars, moments, amounts.filter(bool), amounts.filter(bool))
def test_two_steps_are_one_step(cal, start, first, second):
    assert cal.add(cal.add(start, first), second) == cal.add(start, first + second)


@settings(max_examples=200, deadline=None)
@given(calendars, moments, amounts.filter(bool))
def test_a_positive_result_lies_in_office_hours_or_at_a_closing_time(cal, start, amount):
    end = cal.add(start, amount)
    closing = {dt.datetime.combine(end.date(), b) for _a, b in cal.periods}
    assert cal.is_working_time(end) or (end in closing and cal.is_working_day(end.date()))


@settings(max_examples=80, deadline=None)
@given(calendars, moments, moments, moments)
def test_measuring_is_additive_and_antisymmetric(cal, a, b, c):
    assert cal.between(a, c) == cal.between(a, b) + cal.between(b, c)
    assert cal.between(a, b) == -cal.between(b, a)


@settings(max_examples=200, deadline=None)
@given(calendars, moments, amounts, amounts)
def test_more_time_never_ends_earlier(cal, start, x, y):
    small, large = sorted([x, y])
    assert cal.add(start, small) <= cal.add(start, large)


@settings(max_examples=200, deadline=None)
@given(calendars, moments, st.integers(min_value=1, max_value=40))
def test_n_working_days_end_on_the_nth_working_day_at_closing(cal, start, n):
    end = cal.add_days(start, n)
    assert cal.is_working_day(end.date())
    assert end.time() == cal.periods[-1][1]
    assert cal.working_days_between(start.date(), end.date()) == n
    back = cal.add_days(start, -n)
    assert cal.is_working_day(back.date()) and back.time() == cal.periods[0][0]
    # back is the n-th working day before start's day: n - 1 working days lie strictly between them.
    assert cal.working_days_between(back.date(), start.date()) == n - 1 + cal.is_working_day(start.date())


def test_holidays_of_2025_to_2027_are_weekdays_listed_once():
    days = [d for d, _ in DEFAULT_HOLIDAYS]
    assert len(days) == len(set(days))
    assert {d.year for d in days} == {2025, 2026, 2027}
    assert all(d.weekday() < 5 for d in days)
    for year in (2025, 2026, 2027):
        assert sum(1 for d in days if d.year == year) >= 11  # 11 days a year, plus bridges or compensations
