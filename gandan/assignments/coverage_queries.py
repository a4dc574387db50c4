"""Coverage of a unit's subtree in set-based SQL: a handful of grouped queries for any unit, up to a
whole province, never one query per unit.

- `level_tallies`: per level below (districts, communes, villages, households), how many targets
  have an active primary follower (an EXISTS per row, counted in one GROUP BY);
- `child_tallies`: the same per direct child, for drill-down. A descendant is grouped by its
  ancestor just below the unit, reached through a fixed chain of parent joins (one query per
  depth: usually one for units and one for households);
- `follower_loads`: per cadre following something below, targets per level and role;
- `gap_units` / `gap_households`: the targets without an active primary follower.

The callers pass units that are already in the user's scope (everything below a unit in scope is
in scope too). Arithmetic on the counts is in coverage.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gandan.assignments import rules as R
from gandan.assignments.coverage import LoadStats, Tally, load_stats
from gandan.assignments.models import Assignment, FollowerRole
from gandan.core.collation import vi_order
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit, Household
from gandan.people.models import Cadre

LEVELS = ("district", "commune", "village", "household")


def _covered(on: dt.date, **outer: OuterRef) -> Exists:
    return Exists(Assignment.objects.active(on).primary().filter(**outer))


def _units_below(unit: AdminUnit, on: dt.date) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.below(unit).current(on)


def _households_below(unit: AdminUnit) -> QuerySet[Household]:
    return Household.objects.in_subtree(unit)


def level_tallies(unit: AdminUnit, on: dt.date | None = None) -> dict[str, Tally]:
    """Covered/total per level below `unit` (only the levels that exist there), households last."""
    on = on or timezone.localdate()
    rows = (_units_below(unit, on).order_by().values("level__code")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(_covered(on, unit=OuterRef("pk"))))))
    found = {row["level__code"]: Tally(row["covered"], row["total"]) for row in rows}
    households = _households_below(unit).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(_covered(on, household=OuterRef("pk")))))
    if households["total"]:
        found["household"] = Tally(households["covered"], households["total"])
    return {level: found[level] for level in LEVELS if level in found}


@dataclass
class ChildCoverage:
    unit: AdminUnit
    covered: bool  # the child itself has an active primary follower
    tallies: dict[str, Tally] = field(default_factory=dict)


def _chain(hops: int, start: str = "") -> str:
    """The lookup that climbs `hops` parents from `start` ("" = the row itself)."""
    parts = [start] if start else []
    parts += ["parent"] * hops
    return "__".join(parts) if parts else "pk"


def child_tallies(unit: AdminUnit, on: dt.date | None = None) -> list[ChildCoverage]:
    """Per current child of `unit`: its own coverage, and covered/total per level inside it."""
    on = on or timezone.localdate()
    children = list(AdminUnit.objects.filter(parent=unit).current(on).select_related("level")
                    .annotate(has_primary=_covered(on, unit=OuterRef("pk"))).order_by(vi_order("name"), "id"))
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    depths = sorted(set(_units_below(unit, on).filter(depth__gt=unit.depth + 1).order_by()
                        .values_list("depth", flat=True).distinct()))
    for depth in depths:
        key = _chain(depth - unit.depth - 1)
        rows = (_units_below(unit, on).filter(depth=depth).order_by().values(key, "level__code")
                .annotate(total=Count("pk"), covered=Count("pk", filter=Q(_covered(on, unit=OuterRef("pk"))))))
        for row in rows:
            pair = counts[row[key]][row["level__code"]]
            pair[0] += row["covered"]
            pair[1] += row["total"]
    village_depths = sorted(set(_units_below(unit, on).filter(level__code="village").order_by()
                                .values_list("depth", flat=True).distinct()))
    for depth in village_depths:
        key = _chain(depth - unit.depth - 1, "village")
        rows = (Household.objects.filter(village__depth=depth, village__path__startswith=unit.path + PATH_SEP)
                .order_by().values(key)
                .annotate(total=Count("pk"), covered=Count("pk", filter=Q(_covered(on, household=OuterRef("pk"))))))
        for row in rows:
            pair = counts[row[key]]["household"]
            pair[0] += row["covered"]
            pair[1] += row["total"]
    return [ChildCoverage(child, child.has_primary,  # type: ignore[attr-defined]  # annotated by the queryset
                          {lvl: Tally(*counts[child.pk][lvl]) for lvl in LEVELS if lvl in counts[child.pk]})
            for child in children]


@dataclass
class FollowerLoad:
    cadre: Cadre
    primary: dict[str, int] = field(default_factory=dict)  # targets below the unit, per level
    supporting: dict[str, int] = field(default_factory=dict)
    total_primary: dict[str, int] = field(default_factory=dict)  # everywhere, per level (for the cap)


def _below_q(unit: AdminUnit) -> Q:
    """Assignments on targets below the unit (households of a village lie 'below' the village)."""
    return Q(area__path__startswith=unit.path + PATH_SEP) | Q(household__isnull=False, area=unit)


def target_level_expr() -> Coalesce:
    return Coalesce("unit__level__code", Value("household"))


def follower_loads(unit: AdminUnit, on: dt.date | None = None) -> list[FollowerLoad]:
    """Each cadre following something below `unit`: counts per level and role, heaviest first."""
    on = on or timezone.localdate()
    rows = (Assignment.objects.active(on).filter(_below_q(unit)).annotate(level=target_level_expr()).order_by()
            .values("cadre_id", "level", "role").annotate(n=Count("pk")))
    by_cadre: dict[int, FollowerLoad] = {}
    cadres = {}
    grouped = list(rows)
    if grouped:
        cadres = Cadre.objects.select_related("agency", "unit").in_bulk({r["cadre_id"] for r in grouped})
    for row in grouped:
        load = by_cadre.setdefault(row["cadre_id"], FollowerLoad(cadres[row["cadre_id"]]))
        side = load.primary if row["role"] == FollowerRole.PRIMARY else load.supporting
        side[row["level"]] = side.get(row["level"], 0) + row["n"]
    totals = (Assignment.objects.active(on).primary().filter(cadre_id__in=list(by_cadre))
              .annotate(level=target_level_expr()).order_by().values("cadre_id", "level").annotate(n=Count("pk")))
    for row in totals:
        by_cadre[row["cadre_id"]].total_primary[row["level"]] = row["n"]
    return sorted(by_cadre.values(), key=lambda f: (-sum(f.primary.values()), f.cadre.name_folded, f.cadre.pk))


@dataclass
class LevelLoad:
    level: str
    stats: LoadStats
    cap: int | None
    over_cap: int  # followers whose total primary load at this level exceeds the cap
    eligible: int  # current cadres whom the rules let follow this level here
    idle: int  # of them, those following nothing of this level below the unit


def level_loads(unit: AdminUnit, followers: list[FollowerLoad], rules: tuple[R.RuleSpec, ...],
                levels: list[str]) -> list[LevelLoad]:
    """Load statistics per target level, with the rule's cap and how many eligible cadres are idle."""
    by_agency_level = dict(
        Cadre.objects.active()
        .filter(Q(unit__path__in=unit.ancestor_paths()) | Q(unit__path__startswith=unit.path + PATH_SEP))
        .order_by().values_list("unit__level__code").annotate(n=Count("pk")))
    result = []
    for level in levels:
        loads = [f.primary[level] for f in followers if f.primary.get(level)]
        allowed = [r for r in rules if r.target_level == level and r.primary_allowed]
        caps = [r.load_cap for r in allowed if r.load_cap]
        cap = max(caps) if caps else None
        eligible = sum(by_agency_level.get(r.agency_level, 0) for r in allowed)
        over = sum(1 for f in followers if cap is not None and f.total_primary.get(level, 0) > cap)
        result.append(LevelLoad(level, load_stats(loads), cap, over, eligible, max(eligible - len(loads), 0)))
    return result


def gap_units(unit: AdminUnit, level: str, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Current units of `level` below `unit` without an active primary follower."""
    on = on or timezone.localdate()
    return (_units_below(unit, on).filter(level__code=level).filter(~_covered(on, unit=OuterRef("pk")))
            .select_related("level", "parent").order_by("path"))


def gap_households(unit: AdminUnit, on: dt.date | None = None) -> QuerySet[Household]:
    on = on or timezone.localdate()
    return (_households_below(unit).filter(~_covered(on, household=OuterRef("pk")))
            .select_related("village", "village__parent").order_by("village__path", "code"))


def unit_followers(unit: AdminUnit, on: dt.date | None = None) -> QuerySet[Assignment]:
    """Who follows the unit itself (primary first)."""
    return (Assignment.objects.active(on).filter(unit=unit).select_related("cadre", "cadre__agency")
            .order_by("role", vi_order("cadre__full_name")))
