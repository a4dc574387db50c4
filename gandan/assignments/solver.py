"""Propose primary followers for uncovered targets: a min-cost assignment solved by SciPy.

What it optimises. Each cadre c is replicated into slots k = 0, 1, … up to its remaining capacity
at the target's level (the rule's load cap minus the primary targets c already follows there).
Putting gap g into slot k of cadre c costs

    100 · (load_c + k) / cap                  load balance: the k-th extra target costs more, so the
                                              sum is smallest when final loads are even (a convex,
                                              water-filling objective)
  +   1 · km(c, g)                            distance from where the cadre lives (home unit centre)
                                              or else works (their unit's centre) to the target's
                                              centre, haversine; 25 km when either is unknown
  −  60 · [c lives or works inside g]         the cadre living in (or working in) the unit comes first

Pairs the rules forbid (level not allowed, target outside the cadre's own unit) cost ∞. Each gap
may also stay unfilled at a cost larger than any set of real choices, so the solution first fills
as many gaps as capacity allows (a maximum matching), then, among those, minimises the sum above.
`scipy.optimize.linear_sum_assignment` solves it exactly; the problem is split into independent
components (gaps and cadres linked by an allowed pair) so that a province of communes each with
its own cadres is many small problems. Inputs are sorted first: the same data, in any order,
gives the same proposal. No ORM: tested with hypothesis, without a database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from gandan.assignments import rules as R

EARTH_RADIUS_KM = 6371.0088
LOAD_POINTS = 100.0  # the cost of filling a cadre's whole cap
KM_POINTS = 1.0
UNKNOWN_KM = 25.0
MAX_KM = 300.0
INSIDE_BONUS = 60.0
UNCAPPED_SCALE = 10  # a level without a cap is balanced as if the cap were 10


@dataclass(frozen=True)
class Gap:
    """A target without a primary follower."""

    kind: str  # "unit" or "household"
    id: int
    level: str  # unit level code or "household"
    area_path: str  # the unit's path, or the household's village path
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, eq=False)
class Candidate:
    """A cadre the requester may assign: their agency's level and unit, where they live, their loads."""

    id: int
    level: str
    unit_path: str
    home_path: str = ""
    lat: float | None = None
    lon: float | None = None
    loads: Mapping[str, int] = field(default_factory=dict)  # active primary targets per target level


@dataclass(frozen=True)
class Pick:
    gap: Gap
    cadre_id: int | None
    km: float | None = None
    inside: bool = False


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(c: Candidate, g: Gap) -> float | None:
    if None in (c.lat, c.lon, g.lat, g.lon):
        return None
    return haversine_km(c.lat, c.lon, g.lat, g.lon)  # type: ignore[arg-type]  # None ruled out above


def is_inside(c: Candidate, g: Gap) -> bool:
    """The cadre lives in, or works in, the target (or the household's village)."""
    return bool(c.home_path and R.lies_within(c.home_path, g.area_path)) or R.lies_within(c.unit_path, g.area_path)


def capacity(rules: Sequence[R.RuleSpec], c: Candidate, level: str, n_gaps: int) -> tuple[int, int]:
    """(remaining slots, the cap used to scale the load term) for cadre c at a target level."""
    rule = R.rule_for(rules, c.level, level)
    if rule is None or not rule.primary_allowed:
        return 0, 1
    if rule.load_cap is None:
        return n_gaps, UNCAPPED_SCALE
    return max(rule.load_cap - c.loads.get(level, 0), 0), rule.load_cap


def pair_cost(c: Candidate, g: Gap, k: int, cap: int) -> float:
    """The cost of putting gap g into slot k of cadre c (see the module docstring)."""
    return LOAD_POINTS * (c.loads.get(g.level, 0) + k) / cap + place_cost(c, g)


def place_cost(c: Candidate, g: Gap) -> float:
    """The part of the cost that does not depend on the slot: distance, and living/working inside."""
    km = distance_km(c, g)
    return KM_POINTS * min(UNKNOWN_KM if km is None else km, MAX_KM) - (INSIDE_BONUS if is_inside(c, g) else 0.0)


def _eligible(rules: Sequence[R.RuleSpec], c: Candidate, g: Gap) -> bool:
    return R.rule_violation(rules, agency_level=c.level, cadre_unit_path=c.unit_path, target_level=g.level,
                            target_area_path=g.area_path, role=R.PRIMARY) is None


class _Components:
    """Union-find over gap and cadre indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def propose(gaps: Sequence[Gap], candidates: Sequence[Candidate], rules: Sequence[R.RuleSpec]) -> list[Pick]:
    """One pick per gap (sorted by kind and id): the proposed cadre, or None when no allowed cadre has
    capacity left. See the module docstring for what is minimised."""
    gs = sorted({(g.kind, g.id): g for g in gaps}.values(), key=lambda g: (g.kind, g.id))
    cs = sorted({c.id: c for c in candidates}.values(), key=lambda c: c.id)
    n_gaps = len(gs)
    caps: dict[tuple[int, str], tuple[int, int]] = {}
    allowed: dict[tuple[int, str, str], bool] = {}  # households of one village share their answer
    edges: dict[int, list[int]] = {}
    comp = _Components(n_gaps + len(cs))
    for gi, g in enumerate(gs):
        for ci, c in enumerate(cs):
            key = (ci, g.level)
            if key not in caps:
                caps[key] = capacity(rules, c, g.level, n_gaps)
            if caps[key][0] <= 0:
                continue
            where = (ci, g.level, g.area_path)
            if where not in allowed:
                allowed[where] = _eligible(rules, c, g)
            if allowed[where]:
                edges.setdefault(gi, []).append(ci)
                comp.union(gi, n_gaps + ci)
    groups: dict[int, list[int]] = {}
    for gi in edges:
        groups.setdefault(comp.find(gi), []).append(gi)
    chosen: dict[int, tuple[int, float | None, bool]] = {}
    for root in sorted(groups):
        chosen.update(_solve(gs, cs, groups[root], edges, caps))
    picks = []
    for gi, g in enumerate(gs):
        if gi in chosen:
            ci, km, inside = chosen[gi]
            picks.append(Pick(g, cs[ci].id, km, inside))
        else:
            picks.append(Pick(g, None))
    return picks


def _solve(gs: list[Gap], cs: list[Candidate], rows: list[int], edges: dict[int, list[int]],
           caps: dict[tuple[int, str], tuple[int, int]]) -> dict[int, tuple[int, float | None, bool]]:
    """Solve one component: rows are gap indexes; columns are cadre slots, then one 'unfilled' per row.

    The matrix is filled one (cadre, level) block at a time: the slot part of the cost is a row
    vector, the place part a column vector (cached per cadre and place, since the households of a
    village share their village's centre)."""
    rows_of: dict[tuple[int, str], list[int]] = {}
    for r, gi in enumerate(rows):
        for ci in edges[gi]:
            rows_of.setdefault((ci, gs[gi].level), []).append(r)
    blocks: list[tuple[int, str, int, int]] = []  # (cadre, level, first column, number of slots)
    width = 0
    for ci, level in sorted(rows_of):
        n = min(caps[(ci, level)][0], len(rows_of[(ci, level)]))
        blocks.append((ci, level, width, n))
        width += n
    cost = np.full((len(rows), width + len(rows)), np.inf)
    places: dict[tuple[int, str, float | None, float | None], float] = {}
    for ci, level, first, n in blocks:
        c, scale = cs[ci], caps[(ci, level)][1]
        members = rows_of[(ci, level)]
        place = np.empty(len(members))
        for i, r in enumerate(members):
            g = gs[rows[r]]
            key = (ci, g.area_path, g.lat, g.lon)
            if key not in places:
                places[key] = place_cost(c, g)
            place[i] = places[key]
        load = LOAD_POINTS * (c.loads.get(level, 0) + np.arange(n)) / scale
        cost[np.ix_(members, range(first, first + n))] = place[:, None] + load[None, :]
    finite = cost[np.isfinite(cost)]
    spread = float(np.abs(finite).max()) if finite.size else 0.0
    cost[:, width:] = (2 * spread + 1) * (len(rows) + 1)  # never cheaper than filling one more gap
    row_ind, col_ind = linear_sum_assignment(cost)
    owner = np.empty(width, dtype=int)
    for ci, _level, first, n in blocks:
        owner[first:first + n] = ci
    result: dict[int, tuple[int, float | None, bool]] = {}
    for r, j in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
        if j < width:
            gi, ci = rows[r], int(owner[j])
            result[gi] = (ci, distance_km(cs[ci], gs[gi]), is_inside(cs[ci], gs[gi]))
    return result
