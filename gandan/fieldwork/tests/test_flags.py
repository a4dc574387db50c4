"""Warning flags are pure: distances, thresholds and the three flags, without a database."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from gandan.fieldwork.flags import Flag, Limits, haversine_m, limits_from, nearest_distance_m, visit_flags

lat = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
lon = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)


def test_hanoi_to_ha_giang_is_about_two_hundred_and_twenty_kilometres_as_the_crow_flies():
    assert 215_000 < haversine_m(21.0285, 105.8542, 22.8233, 104.9836) < 225_000


def test_one_hundredth_of_a_degree_of_latitude_is_about_one_point_one_kilometres():
    assert math.isclose(haversine_m(22.0, 105.0, 22.01, 105.0), 1112, rel_tol=0.01)


@given(lat, lon, lat, lon)
def test_distance_is_symmetric_non_negative_and_bounded(a, b, c, d):
    there, back = haversine_m(a, b, c, d), haversine_m(c, d, a, b)
    assert math.isclose(there, back, rel_tol=1e-9, abs_tol=1e-6)
    assert 0 <= there <= math.pi * 6_371_008.8 + 1


@given(lat, lon)
def test_a_point_is_at_no_distance_from_itself(a, b):
    assert haversine_m(a, b, a, b) < 1e-6


def test_the_nearest_known_centre_counts_and_unknown_centres_are_skipped():
    centres = [(None, None), (22.0, 105.0), (22.1, 105.0)]
    assert nearest_distance_m(22.09, 105.0, centres) < 1200
    assert nearest_distance_m(22.0, 105.0, [(None, None)]) is None
    assert nearest_distance_m(None, 105.0, centres) is None


def test_no_flags_for_an_ordinary_visit():
    assert visit_flags(gps_distance_m=800, visits_that_day=2, delay_days=1) == ()


def test_each_flag_starts_just_above_its_threshold():
    limits = Limits(gps_far_km=5, max_visits_per_day=8, late_days=7)
    assert visit_flags(gps_distance_m=5000, visits_that_day=8, delay_days=7, limits=limits) == ()
    assert visit_flags(gps_distance_m=5001, visits_that_day=9, delay_days=8, limits=limits) == (
        Flag.GPS_FAR, Flag.MANY_IN_DAY, Flag.LATE)


def test_a_visit_without_gps_is_never_flagged_as_far():
    assert Flag.GPS_FAR not in visit_flags(gps_distance_m=None, visits_that_day=1, delay_days=0)


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.integers(0, 50), st.integers(-5, 400),
       st.floats(min_value=0.1, max_value=100), st.integers(1, 30), st.integers(0, 60))
def test_flags_are_exactly_the_thresholds_exceeded(distance, per_day, delay, km, most, late):
    limits = Limits(gps_far_km=km, max_visits_per_day=most, late_days=late)
    found = set(visit_flags(gps_distance_m=distance, visits_that_day=per_day, delay_days=delay, limits=limits))
    assert (Flag.GPS_FAR in found) == (distance > km * 1000)
    assert (Flag.MANY_IN_DAY in found) == (per_day > most)
    assert (Flag.LATE in found) == (delay > late)


def test_limits_read_known_overrides_only():
    assert limits_from({"gps_far_km": "3", "late_days": 10, "colour": "red"}) == Limits(3.0, 8, 10)
    assert limits_from(None) == Limits()
