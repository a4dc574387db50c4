"""Coverage and load arithmetic, without a database."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandan.assignments.coverage import Tally, combine, coverage_rate, load_stats, overloaded

counts = st.integers(min_value=0, max_value=10_000)
loads = st.lists(st.integers(min_value=0, max_value=500), max_size=60)


def test_a_rate_is_covered_over_total_and_none_for_nothing():
    assert coverage_rate(3, 4) == 0.75
    assert coverage_rate(0, 0) is None
    assert Tally(0, 0).percent is None


def test_percent_never_rounds_an_incomplete_coverage_up_to_100():
    assert Tally(996, 1000).percent == 99
    assert Tally(1000, 1000).percent == 100
    assert Tally(1, 3).percent == 33


@pytest.mark.parametrize("covered,total", [(5, 4), (-1, 3), (0, -1)])
def test_impossible_counts_are_refused(covered, total):
    with pytest.raises(ValueError):
        coverage_rate(covered, total)
    with pytest.raises(ValueError):
        Tally(covered, total)


@given(counts, counts)
def test_rate_lies_between_zero_and_one_and_gaps_add_up(a, b):
    covered, total = min(a, b), max(a, b)
    tally = Tally(covered, total)
    assert tally.gaps + tally.covered == total
    if total:
        assert 0.0 <= tally.rate <= 1.0
        assert 0 <= tally.percent <= 100


@given(st.lists(st.tuples(counts, counts).map(lambda p: Tally(min(p), max(p))), max_size=20))
def test_combined_coverage_is_the_sum_of_its_parts(tallies):
    total = combine(tallies)
    assert total.covered == sum(t.covered for t in tallies)
    assert total.total == sum(t.total for t in tallies)
    rates = [t.rate for t in tallies if t.total]
    if rates:
        assert min(rates) - 1e-12 <= total.rate <= max(rates) + 1e-12


def test_load_stats_of_an_uneven_commune():
    stats = load_stats([10, 20, 30, 40])
    assert (stats.count, stats.total, stats.mean, stats.minimum, stats.maximum) == (4, 100, 25, 10, 40)
    assert stats.max_min_ratio == 4.0
    assert math.isclose(stats.stdev, statistics.pstdev([10, 20, 30, 40]))
    assert math.isclose(stats.cv, statistics.pstdev([10, 20, 30, 40]) / 25)
    assert stats.verdict == "uneven"  # cv 0.45
    assert load_stats([1, 1, 1, 20]).verdict == "very_uneven"


def test_equal_loads_are_balanced_and_nobody_is_not_compared():
    assert load_stats([7, 7, 7]).cv == 0 and load_stats([7, 7, 7]).verdict == "balanced"
    assert load_stats([]).mean is None and load_stats([]).verdict == ""
    assert load_stats([0, 5]).max_min_ratio is None
    assert load_stats([0, 0]).cv is None


@given(loads)
def test_load_stats_properties(values):
    stats = load_stats(values)
    if not values:
        assert stats.count == 0
        return
    assert stats.minimum <= stats.mean <= stats.maximum
    assert stats.stdev >= 0
    if stats.cv is not None:
        assert stats.cv >= 0
    if stats.max_min_ratio is not None:
        assert stats.max_min_ratio >= 1
    assert (stats.stdev == 0) == (len(set(values)) == 1)


@given(loads, st.integers(min_value=1, max_value=10))
def test_scaling_every_load_does_not_change_the_imbalance(values, factor):
    a, b = load_stats(values), load_stats([v * factor for v in values])
    if a.cv is not None:
        assert math.isclose(a.cv, b.cv, rel_tol=1e-9, abs_tol=1e-12)


def test_overloaded_followers_are_listed_heaviest_first():
    assert overloaded({"an": 45, "binh": 12, "chi": 60}, 40) == ["chi", "an"]
    assert overloaded({"an": 45}, None) == []


def test_negative_loads_are_refused():
    with pytest.raises(ValueError):
        load_stats([1, -1])
