"""Working-time arithmetic across lunch breaks, weekends and holidays, both directions; the deadline
rules; the public holidays of any year and a province's corrections. Examples first, then
properties over any start and amount (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.petitions import deadlines, public_holidays
from gandan.petitions.deadlines import DAYS, HOURS, CalendarSpec, Rule, WorkingCalendar

H = dt.timedelta(hours=1)
D = dt.date


def national(years: range, **spec: Any) -> CalendarSpec:
    return CalendarSpec(holidays=set(public_holidays.days_off(years)),
                        extra_workdays=set(public_holidays.weekend_workdays(years)), years=years, **spec)


YEARS = range(2024, 2033)
CAL = national(YEARS).build()
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


def test_a_deadline_across_new_year_2028_skips_its_compensatory_monday():
    # Friday 31 December 2027 16:00: 1 January 2028 is a Saturday, so Monday 3 January is off.
    assert not CAL.is_working_day(D(2028, 1, 3))
    assert CAL.add(at(2027, 12, 31, 16, 0), 8 * H) == at(2028, 1, 4, 16, 30)
    assert CAL.add_days(at(2027, 12, 31, 16, 0), 10) == at(2028, 1, 17, 17, 0)


def test_tet_mau_than_2028_is_on_26_january_and_its_week_is_off():
    assert public_holidays.days_off(range(2028, 2029))[D(2028, 1, 26)] == "Tết Nguyên Đán"
    assert [d.day for d in (D(2028, 1, 21) + dt.timedelta(days=i) for i in range(12))
            if not CAL.is_working_day(d)] == [22, 23, 24, 25, 26, 27, 28, 29, 30]
    # Received Friday 21 January 2028 at 9:00: 10 working days count from Monday 31 January.
    assert CAL.add_days(at(2028, 1, 21, 9, 0), 10) == at(2028, 2, 11, 17, 0)
    assert CAL.add(at(2028, 1, 21, 9, 0), 8 * H) == at(2028, 1, 31, 9, 30)


def test_tet_canh_tuat_2030_follows_the_vietnamese_lunar_calendar():
    # 2 February 2030 in Vietnam (UTC+7), a day before the Chinese New Year; a Saturday, so Thursday
    # 31 January and Friday 1 February are off before it, Monday to Wednesday after.
    assert public_holidays.days_off(range(2030, 2031))[D(2030, 2, 2)] == "Tết Nguyên Đán"
    off = [d for d in (D(2030, 1, 28) + dt.timedelta(days=i) for i in range(14)) if d.weekday() < 5
           and not CAL.is_working_day(d)]
    assert off == [D(2030, 1, 31), D(2030, 2, 1), D(2030, 2, 4), D(2030, 2, 5), D(2030, 2, 6)]


def test_a_calendar_refuses_a_day_of_a_year_it_was_not_given():
    with pytest.raises(deadlines.OutsideCalendar):
        CAL.is_working_day(D(2040, 1, 2))
    with pytest.raises(deadlines.OutsideCalendar):
        national(range(2027, 2028)).build().add_days(at(2027, 12, 30, 9, 0), 10)


def test_a_province_adds_a_day_off_and_works_a_make_up_saturday():
    spec = national(range(2028, 2029))
    spec.correct(D(2028, 3, 6), working_day=False)  # a Monday off
    spec.correct(D(2028, 3, 11), working_day=True)  # the Saturday worked in exchange
    cal = spec.build()
    assert not cal.is_working_day(D(2028, 3, 6)) and cal.is_working_day(D(2028, 3, 11))
    assert cal.add(at(2028, 3, 3, 16, 0), 8 * H) == at(2028, 3, 7, 16, 30)
    assert cal.working_days_between(D(2028, 3, 3), D(2028, 3, 12)) == 5  # Tue–Sat


def test_a_working_day_cancels_a_holiday_and_the_last_correction_wins():
    spec = national(range(2026, 2027))
    spec.correct(D(2026, 11, 24), working_day=True)  # Vietnam Culture Day, cancelled
    spec.correct(D(2026, 8, 22), working_day=False)  # the make-up Saturday, cancelled
    spec.correct(D(2026, 8, 31), working_day=True)
    spec.correct(D(2026, 8, 31), working_day=False)
    cal = spec.build()
    assert cal.is_working_day(D(2026, 11, 24))
    assert not cal.is_working_day(D(2026, 8, 22)) and not cal.is_working_day(D(2026, 8, 31))


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
# Two steps of up to 40 working days each from the last moment stay inside YEARS (to the end of 2032).
moments = st.datetimes(min_value=dt.datetime(2024, 12, 1), max_value=dt.datetime(2032, 6, 1)).map(
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


# The weekdays off that were typed by hand for 2025–2027 (from the official announcements for
# 2025), and what the package adds: 2026's swap (31 August off, Saturday 22 August worked) and
# Vietnam Culture Day (24 November, from 2026); then 2028, the year the hand-typed list ran out.
WEEKDAYS_OFF = {
    2025: [D(2025, 1, 1), *(D(2025, 1, d) for d in (27, 28, 29, 30, 31)), D(2025, 4, 7), D(2025, 4, 30),
           D(2025, 5, 1), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2)],
    2026: [D(2026, 1, 1), *(D(2026, 2, d) for d in (16, 17, 18, 19, 20)), D(2026, 4, 27), D(2026, 4, 30),
           D(2026, 5, 1), D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2), D(2026, 11, 24)],
    2027: [D(2027, 1, 1), *(D(2027, 2, d) for d in (4, 5, 8, 9, 10)), D(2027, 4, 16), D(2027, 4, 30),
           D(2027, 5, 3), D(2027, 9, 2), D(2027, 9, 3), D(2027, 11, 24)],
    2028: [D(2028, 1, 3), *(D(2028, 1, d) for d in (24, 25, 26, 27, 28)), D(2028, 4, 4), D(2028, 5, 1),
           D(2028, 5, 2), D(2028, 9, 1), D(2028, 9, 4), D(2028, 11, 24)],
}
SATURDAYS_WORKED = {2025: [D(2025, 4, 26)], 2026: [D(2026, 8, 22)], 2027: [], 2028: []}


@pytest.mark.parametrize("year", sorted(WEEKDAYS_OFF))
def test_the_weekdays_off_and_saturdays_worked_of_2025_to_2028(year):
    years = range(year, year + 1)
    assert sorted(d for d in public_holidays.days_off(years) if d.weekday() < 5) == WEEKDAYS_OFF[year]
    assert sorted(public_holidays.weekend_workdays(years)) == SATURDAYS_WORKED[year]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2025, max_value=2100))
def test_every_year_has_its_holidays_each_on_a_weekday_or_compensated(year):
    days = public_holidays.days_off(range(year, year + 1))
    assert {d.year for d in days} == {year}
    assert "Tết Nguyên Đán" in days.values() and "Quốc khánh" in days.values()
    # 11 days (a swap in 2025), 12 with Culture Day from 2026; one on a weekend is compensated.
    assert sum(1 for d in days if d.weekday() < 5) >= (11 if year < 2026 else 12)


def test_holiday_names_are_vietnamese_and_english_on_an_english_page():
    assert public_holidays.days_off(range(2026, 2027))[D(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    english = public_holidays.days_off(range(2026, 2027), language=public_holidays.language_for("en"))
    assert english[D(2026, 2, 17)] == "Lunar New Year"
    assert public_holidays.language_for("vi") == public_holidays.language_for(None) == "vi"
