"""A proposal to fill a unit's gaps: the data the solver needs, read from the requester's scope.

Gaps are the targets of one level below the unit without an active primary follower (the first
MAX_GAPS, in path order; accept and ask again for the rest). Candidates are the current cadres the
requester may assign (unit_admin/leader grants) whose agency lies on the path to the unit or
inside it, and whose level the rules let follow that level — nobody else is ever proposed. The
solver (solver.py, pure) picks one per gap; the page lets the user change any pick among the
allowed cadres, then `services.proposal_accept` writes them in one step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gandan.assignments import rules as R
from gandan.assignments import solver
from gandan.assignments.coverage_queries import gap_households, gap_units, target_level_expr
from gandan.assignments.models import Assignment
from gandan.assignments.queries import assignable_cadres, province_rules
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit, Household
from gandan.people.models import Cadre, User

MAX_GAPS = 150  # rows a person can review on one page


@dataclass
class ProposalRow:
    gap: solver.Gap
    target: AdminUnit | Household
    cadre_id: int | None
    km: float | None
    inside: bool
    options: list[int]  # cadre ids the user may choose instead


@dataclass
class Proposal:
    unit: AdminUnit
    level: str
    rows: list[ProposalRow]
    cadres: dict[int, Cadre]
    loads: dict[int, int]  # current primary load at this level, per candidate
    total_gaps: int
    cap: int | None
    start: dt.date = field(default_factory=timezone.localdate)

    @property
    def filled(self) -> int:
        return sum(1 for r in self.rows if r.cadre_id is not None)

    @property
    def truncated(self) -> bool:
        return self.total_gaps > len(self.rows)


def levels_to_fill(unit: AdminUnit, rules: tuple[R.RuleSpec, ...]) -> list[str]:
    """Target levels the rules name that lie below the unit, top first."""
    rank = R.LEVEL_RANK.get(unit.level.code, 0)
    named = {r.target_level for r in rules if r.primary_allowed}
    return [lvl for lvl in ("district", "commune", "village", "household") if lvl in named and R.LEVEL_RANK[lvl] > rank]


def _gaps(unit: AdminUnit, level: str, on: dt.date) -> tuple[list[solver.Gap], list[Any], int]:
    if level == "household":
        qs: QuerySet[Any] = gap_households(unit, on)
        targets = list(qs[:MAX_GAPS])
        gaps = [solver.Gap("household", h.pk, "household", h.village.path, h.village.latitude, h.village.longitude)
                for h in targets]
    else:
        qs = gap_units(unit, level, on)
        targets = list(qs[:MAX_GAPS])
        gaps = [solver.Gap("unit", u.pk, level, u.path, u.latitude, u.longitude) for u in targets]
    total = len(targets) if len(targets) < MAX_GAPS else qs.count()
    return gaps, targets, total


def _candidates(user: User, unit: AdminUnit, level: str, rules: tuple[R.RuleSpec, ...], on: dt.date
                ) -> tuple[list[solver.Candidate], dict[int, Cadre]]:
    agency_levels = [r.agency_level for r in rules if r.target_level == level and r.primary_allowed]
    rows = (assignable_cadres(user)
            .filter(Q(unit__path__in=unit.ancestor_paths()) | Q(unit__path__startswith=unit.path + PATH_SEP))
            .filter(unit__level__code__in=agency_levels).select_related("home_unit"))
    cadres = {c.pk: c for c in rows}
    loads: dict[int, dict[str, int]] = {pk: {} for pk in cadres}
    counted = (Assignment.objects.active(on).primary().filter(cadre_id__in=list(cadres))
               .annotate(level=target_level_expr()).order_by().values("cadre_id", "level").annotate(n=Count("pk")))
    for row in counted:
        loads[row["cadre_id"]][row["level"]] = row["n"]
    candidates = []
    for c in cadres.values():
        place = c.home_unit if c.home_unit and c.home_unit.latitude is not None else c.unit
        candidates.append(solver.Candidate(c.pk, c.unit.level.code, c.unit.path,
                                           c.home_unit.path if c.home_unit else "", place.latitude, place.longitude,
                                           loads[c.pk]))
    return candidates, cadres


def proposal_make(user: User, unit: AdminUnit, level: str, on: dt.date | None = None) -> Proposal:
    """Propose a primary follower for each of the unit's first MAX_GAPS gaps at `level`."""
    on = on or timezone.localdate()
    rules, _default = province_rules(unit.province or unit)
    gaps, targets, total = _gaps(unit, level, on)
    candidates, cadres = _candidates(user, unit, level, rules, on)
    picks = solver.propose(gaps, candidates, rules)
    target_of = {(g.kind, g.id): t for g, t in zip(gaps, targets, strict=True)}
    options_of: dict[str, list[int]] = {}
    ordered = sorted(candidates, key=lambda c: (cadres[c.id].name_folded, c.id))
    rows = []
    for pick in picks:
        area = pick.gap.area_path
        if area not in options_of:
            options_of[area] = [c.id for c in ordered if R.rule_violation(
                rules, agency_level=c.level, cadre_unit_path=c.unit_path, target_level=level,
                target_area_path=area, role=R.PRIMARY) is None]
        rows.append(ProposalRow(pick.gap, target_of[(pick.gap.kind, pick.gap.id)], pick.cadre_id, pick.km,
                                pick.inside, options_of[area]))
    rows.sort(key=lambda r: (r.gap.area_path, r.gap.id))
    cap = next((r.load_cap for r in rules if r.target_level == level and r.primary_allowed and r.load_cap), None)
    return Proposal(unit=unit, level=level, rows=rows, cadres=cadres,
                    loads={c.id: c.loads.get(level, 0) for c in candidates}, total_gaps=total, cap=cap, start=on)


def candidates_for(user: User, unit: AdminUnit, level: str, on: dt.date | None = None) -> list[tuple[Cadre, int]]:
    """Cadres the user may assign to follow targets of `level` under `unit`, with their current primary
    load at that level, by name: the choices of a select."""
    rules, _default = province_rules(unit.province or unit)
    found, cadres = _candidates(user, unit, level, rules, on or timezone.localdate())
    pairs = [(cadres[c.id], c.loads.get(level, 0)) for c in found]
    return sorted(pairs, key=lambda p: (p[0].name_folded, p[0].pk))
