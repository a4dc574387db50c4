"""Quota compliance is pure: one cadre's month against a rule, pace in a running month, groups."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gandan.fieldwork.compliance import (
    FIELD_DAYS,
    MEETINGS,
    VISITS,
    Activity,
    QuotaRule,
    assess,
    due_by,
    group_by,
    meetings_required,
    month_progress,
    overall,
    rule_for,
)

RULE = QuotaRule(field_days=3, visits=6, meeting_pct=80)


def test_a_cadre_who_did_everything_met_the_quota():
    result = assess(Activity(field_days=4, visits=7, meetings_expected=2, meetings_attended=2), RULE)
    assert result.met and not result.is_behind
    assert [m.name for m in result.measures] == [FIELD_DAYS, VISITS, MEETINGS]


def test_a_finished_month_short_of_field_days_is_behind_on_field_days_only():
    result = assess(Activity(field_days=2, visits=6), RULE)
    assert not result.met
    assert result.behind == (FIELD_DAYS,)
    assert result.measure(FIELD_DAYS).pct == 67


def test_meetings_count_only_when_some_were_expected():
    assert assess(Activity(field_days=3, visits=6), RULE).measure(MEETINGS) is None


def test_eighty_percent_of_five_meetings_is_four():
    assert meetings_required(5, 80) == 4
    assert meetings_required(1, 80) == 1
    assert meetings_required(3, 0) == 0
    result = assess(Activity(field_days=3, visits=6, meetings_expected=5, meetings_attended=3), RULE)
    assert result.behind == (MEETINGS,)


def test_in_a_running_month_one_is_behind_only_below_the_pace():
    early = assess(Activity(field_days=0, visits=1), RULE, elapsed=5, days=30)
    assert not early.met and not early.is_behind
    late = assess(Activity(field_days=1, visits=5), RULE, elapsed=25, days=30)
    assert late.behind == (FIELD_DAYS,)


def test_nothing_is_due_on_the_first_day_and_everything_on_the_last():
    assert due_by(4, 1, 30) == 0
    assert due_by(4, 30, 30) == 4
    assert due_by(6, 15, 30) == 3


@given(st.integers(0, 50), st.integers(1, 31), st.integers(28, 31))
def test_what_is_due_grows_with_time_and_never_exceeds_the_target(target, elapsed, days):
    elapsed = min(elapsed, days)
    assert 0 <= due_by(target, elapsed, days) <= target
    assert due_by(target, max(elapsed - 1, 0), days) <= due_by(target, elapsed, days)


@given(st.integers(0, 10), st.integers(0, 20), st.integers(0, 8), st.integers(0, 8),
       st.integers(0, 10), st.integers(0, 20), st.integers(0, 100))
def test_met_means_every_required_measure_reached_its_target(days, visits, expected, attended, need_days,
                                                             need_visits, pct):
    attended = min(attended, expected)
    rule = QuotaRule(need_days, need_visits, pct)
    result = assess(Activity(days, visits, expected, attended), rule)
    meetings_ok = expected == 0 or pct == 0 or attended >= meetings_required(expected, pct)
    assert result.met == (days >= need_days and visits >= need_visits and meetings_ok)
    assert result.is_behind == (not result.met)  # a finished month: behind ⇔ not met


def test_the_rule_for_an_employment_type_wins_over_the_level_rule():
    rules = {("commune", ""): RULE, ("commune", "contract"): QuotaRule(1, 2, 0)}
    assert rule_for("commune", "contract", rules) == QuotaRule(1, 2, 0)
    assert rule_for("commune", "civil_servant", rules) == RULE
    assert rule_for("province", "civil_servant", rules) is None


def test_groups_count_cadres_who_met_and_who_are_behind():
    results = {1: assess(Activity(3, 6), RULE), 2: assess(Activity(0, 0), RULE), 3: assess(Activity(5, 9), RULE)}
    agency = {1: "UBND", 2: "UBND", 3: "Đảng ủy"}
    groups = group_by(results, agency.__getitem__)
    assert (groups["UBND"].cadres, groups["UBND"].met, groups["UBND"].behind) == (2, 1, 1)
    assert groups["UBND"].pct == 50 and groups["Đảng ủy"].pct == 100
    assert overall(results).cadres == 3 and overall({}).rate == 1.0


def test_a_past_month_is_fully_elapsed_and_a_future_one_not_started():
    today = dt.date(2025, 9, 10)
    assert month_progress(dt.date(2025, 8, 1), today) == (31, 31)
    assert month_progress(dt.date(2025, 9, 1), today) == (10, 30)
    assert month_progress(dt.date(2025, 10, 1), today) == (0, 31)
