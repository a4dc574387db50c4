"""The three rates with their counts, ranking within groups of similar volume, and rising hot spots."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.petitions import rates
from gandan.petitions.rates import Figures, Rate


def test_rates_keep_their_counts():
    f = Figures(received=10, responded=9, resolved=7, resolved_on_time=6, settled=8, overdue=2, rated=5, satisfied=4)
    assert (f.response.numerator, f.response.denominator, f.response.percent) == (9, 10, 90.0)
    assert (f.on_time.numerator, f.on_time.denominator, f.on_time.percent) == (6, 8, 75.0)
    assert (f.satisfaction.numerator, f.satisfaction.denominator, f.satisfaction.percent) == (4, 5, 80.0)


def test_a_rate_with_nothing_to_count_has_no_value():
    assert Rate(0, 0).value is None
    assert Rate(0, 0).percent is None
    assert Figures().rates()["satisfaction"].value is None


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 3), (4, 3), (0, -1)])
def test_a_rate_refuses_impossible_counts(numerator, denominator):
    with pytest.raises(ValueError):
        Rate(numerator, denominator)


def test_score_weighs_response_20_on_time_40_satisfaction_40():
    f = Figures(received=10, responded=10, settled=10, resolved_on_time=5, rated=10, satisfied=10)
    assert rates.score(f) == pytest.approx(100 * (0.2 * 1 + 0.4 * 0.5 + 0.4 * 1))


def test_score_leaves_out_a_missing_rate():
    f = Figures(received=4, responded=2, settled=0, rated=0)
    assert rates.score(f) == 50.0
    assert rates.score(Figures()) is None


def test_figures_add_up():
    a, b = Figures(received=1, satisfied=1, rated=1), Figures(received=2, overdue=1)
    assert a + b == Figures(received=3, satisfied=1, rated=1, overdue=1)


def test_volume_bands_split_by_size_and_keep_ties_together():
    volumes = {"a": 1, "b": 2, "c": 3, "d": 40, "e": 50, "f": 60, "g": 300, "h": 400, "i": 500}
    bands = rates.volume_bands(volumes, 3)
    assert [bands[k] for k in "abcdefghi"] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    tied = rates.volume_bands({"x": 5, "y": 5, "z": 5, "w": 9}, 3)
    assert tied["x"] == tied["y"] == tied["z"]


def test_ranking_compares_only_within_a_band():
    small_good = Figures(received=2, responded=2, settled=2, resolved_on_time=2, rated=2, satisfied=2)
    small_bad = Figures(received=3, responded=1, settled=3, resolved_on_time=0, rated=1, satisfied=0)
    big_ok = Figures(received=300, responded=280, settled=300, resolved_on_time=200, rated=100, satisfied=70)
    big_better = Figures(received=310, responded=300, settled=300, resolved_on_time=270, rated=100, satisfied=90)
    ranked = {r.key: r for r in rates.rank_within_bands(
        {"small_good": small_good, "small_bad": small_bad, "big_ok": big_ok, "big_better": big_better}, bands=2)}
    assert ranked["small_good"].band == ranked["small_bad"].band == 0
    assert ranked["big_ok"].band == ranked["big_better"].band == 1
    assert (ranked["small_good"].rank, ranked["small_bad"].rank) == (1, 2)
    assert (ranked["big_better"].rank, ranked["big_ok"].rank) == (1, 2)
    assert ranked["big_ok"].of == 2


def test_equal_scores_share_a_rank_and_units_below_the_minimum_are_not_ranked():
    same = Figures(received=5, responded=5, settled=5, resolved_on_time=5, rated=5, satisfied=5)
    worse = Figures(received=5, responded=0, settled=5, resolved_on_time=0, rated=5, satisfied=0)
    ranked = {r.key: r for r in rates.rank_within_bands({"a": same, "b": same, "c": worse, "d": Figures()}, bands=1)}
    assert (ranked["a"].rank, ranked["b"].rank, ranked["c"].rank) == (1, 1, 3)
    assert ranked["d"].rank is None and ranked["d"].score is None


def test_hot_spots_are_what_rose_the_most():
    found = rates.rising([("land", 10, 4), ("health", 3, 3), ("roads", 5, 0), ("water", 2, 6), ("one", 1, 0)])
    assert [t.key for t in found] == ["land", "roads"]
    assert found[0].change == 6 and found[0].growth_percent == 150
    assert found[1].growth is None  # new this period


figures_strategy = st.builds(
    lambda received, r1, s1, r2, rated, sat: Figures(
        received=received, responded=min(r1, received), settled=s1, resolved_on_time=min(r2, s1), rated=rated,
        satisfied=min(sat, rated)),
    st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500),
    st.integers(0, 500))


@settings(max_examples=200, deadline=None)
@given(figures_strategy)
def test_every_rate_is_between_0_and_1_and_the_score_between_0_and_100(f):
    for rate in f.rates().values():
        assert rate.value is None or 0 <= rate.value <= 1
    score = rates.score(f)
    assert score is None or 0 <= score <= 100


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), figures_strategy, max_size=25), st.integers(1, 5))
def test_ranks_run_from_1_within_every_band_and_larger_volumes_never_sit_in_a_smaller_band(table, bands):
    ranked = rates.rank_within_bands(table, bands=bands)
    assert {r.key for r in ranked} == set(table)
    by_band: dict[int, list] = {}
    for r in ranked:
        if r.rank is not None:
            by_band.setdefault(r.band, []).append(r)
    for members in by_band.values():
        assert min(r.rank for r in members) == 1
        assert all(1 <= r.rank <= r.of == len(members) for r in members)
        best = max(r.score for r in members)
        assert all(r.rank == 1 for r in members if r.score == best)
    eligible = [r for r in ranked if r.figures.received >= 1]
    for a in eligible:
        for b in eligible:
            if a.figures.received < b.figures.received:
                assert a.band <= b.band
