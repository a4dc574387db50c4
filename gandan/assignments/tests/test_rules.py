"""The assignment rules as plain values: levels, scope of the cadre's unit, dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gandan.assignments import rules as R

COMMUNE = "01.00070"
VILLAGE = "01.00070.0007001"


def violation(agency_level, cadre_path, target_level, area_path, role=R.PRIMARY, rules=R.DEFAULT_RULES):
    return R.rule_violation(rules, agency_level=agency_level, cadre_unit_path=cadre_path,
                            target_level=target_level, target_area_path=area_path, role=role)


def test_the_two_tier_default():
    assert violation("province", "01", "commune", COMMUNE) is None
    assert violation("commune", COMMUNE, "village", VILLAGE) is None
    assert violation("commune", COMMUNE, "household", VILLAGE) is None
    assert "không cho cán bộ cấp tỉnh theo dõi thôn" in violation("province", "01", "village", VILLAGE)
    assert violation("commune", COMMUNE, "commune", COMMUNE) is not None


def test_a_target_outside_the_cadre_s_unit_is_refused():
    assert "không thuộc đơn vị" in violation("commune", "01.00071", "village", VILLAGE)
    assert violation("province", "02", "commune", COMMUNE) is not None
    assert violation("commune", "01.0007", "village", VILLAGE) is not None  # a prefix is not a parent


def test_roles_follow_the_rule():
    rules = (R.RuleSpec("commune", "village", primary_allowed=False),)
    assert violation("commune", COMMUNE, "village", VILLAGE, R.PRIMARY, rules) is not None
    assert violation("commune", COMMUNE, "village", VILLAGE, R.SUPPORTING, rules) is None


def test_three_tier_rules_use_the_district():
    assert violation("district", "01.001", "village", "01.001.00070.0007001", rules=R.THREE_TIER) is None
    assert violation("commune", COMMUNE, "village", VILLAGE, rules=R.THREE_TIER) is not None


def test_a_rule_set_is_checked():
    assert R.validate_rule_set(R.DEFAULT_RULES) == []
    assert R.validate_rule_set(R.THREE_TIER) == []
    assert len(R.validate_rule_set([R.RuleSpec("commune", "commune"), R.RuleSpec("village", "household"),
                                    R.RuleSpec("province", "street"), R.RuleSpec("province", "commune", load_cap=0),
                                    R.RuleSpec("province", "commune")])) == 5


def test_dates():
    day = dt.date(2025, 8, 1)
    assert R.date_problem(day, None) is None
    assert R.date_problem(day, day) is None
    assert R.date_problem(day, day - dt.timedelta(days=1)) is not None
    assert R.date_problem(None, None) is not None


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 1, 1))
ends = st.none() | days


@given(days, ends, days, ends)
def test_overlap_is_symmetric_and_means_a_shared_day(a_start, a_end, b_start, b_end):
    if a_end is not None and a_end < a_start or b_end is not None and b_end < b_start:
        return
    shared = R.overlaps(a_start, a_end, b_start, b_end)
    assert shared == R.overlaps(b_start, b_end, a_start, a_end)
    last = dt.date(2030, 1, 1)
    a_days = (a_start, a_end or last)
    b_days = (b_start, b_end or last)
    assert shared == (max(a_days[0], b_days[0]) < min(a_days[1], b_days[1]))


def test_back_to_back_assignments_do_not_overlap():
    day = dt.date(2025, 8, 1)
    assert not R.overlaps(dt.date(2025, 1, 1), day, day, None)
    assert R.overlaps(dt.date(2025, 1, 1), None, day, None)


def test_a_violation_names_the_levels_in_the_users_language():
    from django.utils import translation

    with translation.override("en"):
        assert violation("province", "01", "village", VILLAGE) == (
            "The province's rules do not let province cadres follow a village")
        assert R.date_problem(None, None) == "The start date is missing"
