"""The proposal solver's properties, without a database: every gap filled when capacity allows, no
cadre above the cap, no cadre outside scope or the rules, balanced loads, deterministic."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from gandan.assignments import rules as R
from gandan.assignments.solver import Candidate, Gap, haversine_km, propose

PROVINCE = "08"
COMMUNES = [f"08.C{i}" for i in range(3)]
VILLAGES = [f"{c}.V{j}" for c in COMMUNES for j in range(3)]


@st.composite
def worlds(draw):
    """A few communes with villages and households; province and commune cadres with some load."""
    caps = {lvl: draw(st.integers(1, 4)) for lvl in ("commune", "village", "household")}
    rules = (R.RuleSpec("province", "commune", load_cap=caps["commune"]),
             R.RuleSpec("commune", "village", load_cap=caps["village"]),
             R.RuleSpec("commune", "household", load_cap=caps["household"]))
    gaps, seen = [], set()
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["commune", "village", "household"]))
        pk = draw(st.integers(1, 40))
        if (kind == "household", pk) in seen:  # unit ids are unique across levels
            continue
        seen.add((kind == "household", pk))
        path = draw(st.sampled_from(COMMUNES if kind == "commune" else VILLAGES))
        gaps.append(Gap("household" if kind == "household" else "unit", pk, kind, path,
                        draw(st.none() | st.floats(21.5, 23.3)), draw(st.floats(104.5, 105.6))))
    cadres = []
    for pk in range(1, draw(st.integers(0, 7)) + 1):
        level = draw(st.sampled_from(["province", "commune", "commune"]))
        unit = PROVINCE if level == "province" else draw(st.sampled_from(COMMUNES))
        loads = {lvl: draw(st.integers(0, 5)) for lvl in ("commune", "village", "household")}
        cadres.append(Candidate(pk, level, unit, draw(st.sampled_from(["", *VILLAGES])),
                                draw(st.none() | st.floats(21.5, 23.3)), 105.0, loads))
    return gaps, cadres, rules


def eligible(rules, c, g):
    return R.rule_violation(rules, agency_level=c.level, cadre_unit_path=c.unit_path, target_level=g.level,
                            target_area_path=g.area_path, role=R.PRIMARY) is None


def remaining(rules, c, level):
    rule = R.rule_for(rules, c.level, level)
    return max(rule.load_cap - c.loads.get(level, 0), 0) if rule else 0


def most_fillable(gaps, cadres, rules):
    """Oracle: a maximum matching of gaps to cadre slots (replicated up to remaining capacity)."""
    slots = [(c, lvl) for c in cadres for lvl in ("commune", "village", "household")
             for _ in range(remaining(rules, c, lvl))]
    if not gaps or not slots:
        return 0
    dense = np.array([[1 if lvl == g.level and eligible(rules, c, g) else 0 for c, lvl in slots] for g in gaps])
    matching = maximum_bipartite_matching(csr_matrix(dense), perm_type="column")
    return int((matching >= 0).sum())


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_the_proposal_fills_as_many_gaps_as_capacity_allows(world):
    gaps, cadres, rules = world
    picks = propose(gaps, cadres, rules)
    assert sorted((p.gap.kind, p.gap.id) for p in picks) == sorted((g.kind, g.id) for g in gaps)
    assert sum(p.cadre_id is not None for p in picks) == most_fillable(gaps, cadres, rules)


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_no_cadre_above_the_cap_nor_outside_the_rules_or_the_given_cadres(world):
    gaps, cadres, rules = world
    by_id = {c.id: c for c in cadres}
    added = Counter()
    for pick in propose(gaps, cadres, rules):
        if pick.cadre_id is None:
            continue
        assert pick.cadre_id in by_id  # only cadres the caller passed in (its scope)
        assert eligible(rules, by_id[pick.cadre_id], pick.gap)
        added[(pick.cadre_id, pick.gap.level)] += 1
    for (cadre_id, level), n in added.items():
        assert n <= remaining(rules, by_id[cadre_id], level)


@settings(max_examples=60, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_the_same_data_in_any_order_gives_the_same_proposal(world, rnd):
    gaps, cadres, rules = world
    first = propose(gaps, cadres, rules)
    shuffled_gaps, shuffled_cadres = gaps[:], cadres[:]
    rnd.shuffle(shuffled_gaps)
    rnd.shuffle(shuffled_cadres)
    assert propose(shuffled_gaps, shuffled_cadres, rules) == first


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.lists(st.integers(0, 10), min_size=1, max_size=8))
def test_without_distances_final_loads_are_as_even_as_possible(n_gaps, loads):
    rules = (R.RuleSpec("commune", "household", load_cap=40),)
    gaps = [Gap("household", i, "household", "08.C0.V0") for i in range(1, n_gaps + 1)]
    cadres = [Candidate(i, "commune", "08.C0", loads={"household": load}) for i, load in enumerate(loads, 1)]
    picks = propose(gaps, cadres, rules)
    final = {c.id: c.loads["household"] for c in cadres}
    for p in picks:
        if p.cadre_id is not None:
            final[p.cadre_id] += 1
    # water-filling: whoever received something ends at most one above the lightest cadre
    received = {p.cadre_id for p in picks} - {None}
    lightest = min(final.values())
    assert all(final[c] <= lightest + 1 for c in received)


def test_a_cadre_living_in_the_village_comes_first():
    rules = (R.RuleSpec("commune", "village", load_cap=3),)
    gap = Gap("unit", 1, "village", "08.C0.V1", 22.0, 105.0)
    far = Candidate(1, "commune", "08.C0", "", 22.0, 105.0)  # works right there, lives elsewhere
    home = Candidate(2, "commune", "08.C0", "08.C0.V1", 22.2, 105.2)  # lives in the village, 30 km away
    assert propose([gap], [far, home], rules)[0].cadre_id == 2


def test_the_nearest_cadre_is_preferred_when_loads_are_equal():
    rules = (R.RuleSpec("province", "commune", load_cap=2),)
    gap = Gap("unit", 1, "commune", "08.C0", 22.0, 105.0)
    near = Candidate(5, "province", "08", "", 22.05, 105.0)
    far = Candidate(3, "province", "08", "", 22.9, 105.5)
    pick = propose([gap], [far, near], rules)[0]
    assert pick.cadre_id == 5 and 5 < pick.km < 6


def test_a_lighter_cadre_is_preferred_to_a_nearer_busy_one():
    rules = (R.RuleSpec("commune", "household", load_cap=40),)
    gaps = [Gap("household", i, "household", "08.C0.V0", 22.0, 105.0) for i in range(10)]
    busy = Candidate(1, "commune", "08.C0", "", 22.0, 105.0, {"household": 39})
    idle = Candidate(2, "commune", "08.C0", "", 22.05, 105.0, {"household": 0})
    picks = propose(gaps, [busy, idle], rules)
    assert Counter(p.cadre_id for p in picks) == {2: 10}


def test_gaps_nobody_may_take_stay_open():
    rules = (R.RuleSpec("commune", "village", load_cap=1),)
    gaps = [Gap("unit", i, "village", "08.C0.V0") for i in range(3)] + [Gap("unit", 9, "village", "08.C1.V0")]
    picks = propose(gaps, [Candidate(1, "commune", "08.C0")], rules)
    assert [p.cadre_id for p in picks] == [1, None, None, None]


def test_haversine_distance():
    assert haversine_km(22.0, 105.0, 22.0, 105.0) == 0
    assert 110 < haversine_km(21.0, 105.0, 22.0, 105.0) < 112  # one degree of latitude


def test_a_large_commune_is_solved():
    """300 household gaps and 56 cadres with cap 40: the size of one proposal page."""
    rng = random.Random(7)
    rules = (R.RuleSpec("commune", "household", load_cap=40),)
    gaps = [Gap("household", i, "household", f"08.C0.V{i % 12}", 22 + rng.random() / 10, 105.0)
            for i in range(300)]
    cadres = [Candidate(i, "commune", "08.C0", f"08.C0.V{i % 15}", 22 + rng.random() / 10, 105.0,
                        {"household": rng.randint(0, 45)}) for i in range(56)]
    picks = propose(gaps, cadres, rules)
    assert all(p.cadre_id is not None for p in picks)
