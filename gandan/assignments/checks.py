"""The checks every new assignment passes, for one or for thousands at a time.

Services (one by one, multi-select, XLSX import, accepted proposals) describe what they want as
`Wish`es over lightweight references to cadres and targets, loaded in a few queries from the
actor's assigning scope. `Batch.check` then locks the targets (SELECT … FOR UPDATE), loads the
assignments already on them in one query, and applies the pure rules of `rules.py` to every wish,
against the database and against the other wishes of the same batch. Nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from gandan.assignments import rules as R
from gandan.assignments.models import Assignment, AssignmentRule
from gandan.assignments.queries import ASSIGN_ROLES
from gandan.core.imports import RowError
from gandan.org.models import AdminUnit, Household
from gandan.people import scoping
from gandan.people.models import Cadre, User

UNIT, HOUSEHOLD = "unit", "household"


@dataclass(frozen=True)
class CadreRef:
    id: int
    code: str
    full_name: str
    unit_path: str
    level: str
    province_id: int
    left_on: dt.date | None


@dataclass(frozen=True)
class TargetRef:
    kind: str  # UNIT or HOUSEHOLD
    id: int
    code: str
    label: str
    level: str  # unit level code, or "household"
    area_id: int
    area_path: str
    province_id: int
    ended_on: dt.date | None  # the unit's (or the household's village's) valid_to


@dataclass(frozen=True)
class Wish:
    line: int  # the row of an import, or the position in a list
    cadre: CadreRef
    target: TargetRef
    role: str
    start: dt.date
    end: dt.date | None = None


# -- references, loaded from the actor's assigning scope ------------------------------------------
_CADRE_FIELDS = ("id", "code", "full_name", "unit__path", "unit__level__code", "province_id", "left_on")
_UNIT_FIELDS = ("id", "code", "name", "level__code", "id", "path", "province_id", "valid_to")
_HOUSEHOLD_FIELDS = ("id", "code", "head_name", "village_id", "village__path", "province_id", "village__valid_to")


def _scoped(qs: Any, actor: User | None, field: str) -> Any:
    return qs if actor is None else scoping.filter_by_scope(qs, actor, field, ASSIGN_ROLES)


def cadre_refs(actor: User | None, **lookup: Any) -> list[CadreRef]:
    """Cadres (current or not) the actor may assign, matching `lookup`."""
    rows = _scoped(Cadre.objects.filter(**lookup), actor, "unit__path").values_list(*_CADRE_FIELDS)
    return [CadreRef(*row) for row in rows]


def unit_refs(actor: User | None, **lookup: Any) -> list[TargetRef]:
    rows = _scoped(AdminUnit.objects.filter(**lookup), actor, "path").values_list(*_UNIT_FIELDS)
    return [TargetRef(UNIT, pk, code, name, level, area, path, prov, valid_to)
            for pk, code, name, level, area, path, prov, valid_to in rows]


def household_refs(actor: User | None, **lookup: Any) -> list[TargetRef]:
    rows = _scoped(Household.objects.filter(**lookup), actor, "village__path").values_list(*_HOUSEHOLD_FIELDS)
    return [TargetRef(HOUSEHOLD, pk, code, f"{code} — {head}", "household", village, path, prov, valid_to)
            for pk, code, head, village, path, prov, valid_to in rows]


def target_ref(actor: User | None, *, unit: AdminUnit | None = None, household: Household | None = None
               ) -> TargetRef | None:
    if (unit is None) == (household is None):
        raise ValueError("exactly one of unit or household")
    refs = unit_refs(actor, pk=unit.pk) if unit is not None else household_refs(actor, pk=household.pk)  # type: ignore[union-attr]  # exactly one, checked above
    return refs[0] if refs else None


def rules_by_province(province_ids: Iterable[int]) -> dict[int, tuple[R.RuleSpec, ...]]:
    """The rule set of each province: its own rules, or the two-tier default when it has none."""
    wanted = set(province_ids)
    found: dict[int, list[R.RuleSpec]] = defaultdict(list)
    for row in AssignmentRule.objects.filter(province_id__in=wanted):
        found[row.province_id].append(R.RuleSpec(row.agency_level, row.target_level, row.primary_allowed,
                                                 row.supporting_allowed, row.load_cap))
    return {pid: tuple(found[pid]) if found.get(pid) else R.DEFAULT_RULES for pid in wanted}


# -- the checks ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Held:
    cadre_id: int
    role: str
    start: dt.date
    end: dt.date | None


def target_column(target: TargetRef) -> str:
    """The import column (and error field) that names this kind of target."""
    return "ma_ho" if target.kind == HOUSEHOLD else "ma_dia_ban"


def _key(target: TargetRef) -> tuple[str, int]:
    return (target.kind, target.id)


def lock_and_load(targets: Sequence[TargetRef]) -> dict[tuple[str, int], list[_Held]]:
    """Lock the target rows (so that two assigners cannot both give a target its primary follower)
    and load every assignment on them, past ones included (a new one may start in the past)."""
    unit_ids = sorted({t.id for t in targets if t.kind == UNIT})
    household_ids = sorted({t.id for t in targets if t.kind == HOUSEHOLD})
    held: dict[tuple[str, int], list[_Held]] = defaultdict(list)
    if not unit_ids and not household_ids:
        return held
    list(AdminUnit.objects.select_for_update().filter(pk__in=unit_ids).values_list("pk", flat=True))
    list(Household.objects.select_for_update().filter(pk__in=household_ids).values_list("pk", flat=True))
    rows = (Assignment.objects.filter(Q(unit_id__in=unit_ids) | Q(household_id__in=household_ids))
            .values_list("unit_id", "household_id", "cadre_id", "role", "start", "end"))
    for unit_id, household_id, cadre_id, role, start, end in rows:
        key = (UNIT, unit_id) if unit_id else (HOUSEHOLD, household_id)
        held[key].append(_Held(cadre_id, role, start, end))
    return held


class Batch:
    """Check a list of wishes against the rules, the targets' current followers and each other."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.errors: list[RowError] = []
        self._held: dict[tuple[str, int], list[_Held]] = {}

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(RowError(line, field, message))

    def check(self, wishes: Sequence[Wish]) -> list[RowError]:
        if not wishes:
            return self.errors
        rulebook = rules_by_province({w.target.province_id for w in wishes})
        self._held = lock_and_load([w.target for w in wishes])
        for wish in sorted(wishes, key=lambda w: w.line):
            if self._check_one(wish, rulebook):
                self._held[_key(wish.target)].append(_Held(wish.cadre.id, wish.role, wish.start, wish.end))
        return self.errors

    def _check_one(self, wish: Wish, rulebook: dict[int, tuple[R.RuleSpec, ...]]) -> bool:
        cadre, target = wish.cadre, wish.target
        before = len(self.errors)
        problem = R.date_problem(wish.start, wish.end)
        if problem:
            self.error(wish.line, "ngay_ket_thuc", problem)
        if cadre.left_on is not None and cadre.left_on <= wish.start:
            self.error(wish.line, "ma_can_bo", _("Cán bộ %(code)s đã nghỉ từ %(date)s")
                       % {"code": cadre.code, "date": f"{cadre.left_on:%d/%m/%Y}"})
        if target.ended_on is not None and target.ended_on <= wish.start:
            self.error(wish.line, target_column(target),
                       _("%(target)s không còn hiệu lực từ %(date)s")
                       % {"target": target.label, "date": f"{target.ended_on:%d/%m/%Y}"})
        violation = R.rule_violation(rulebook[target.province_id], agency_level=cadre.level,
                                     cadre_unit_path=cadre.unit_path, target_level=target.level,
                                     target_area_path=target.area_path, role=wish.role)
        if violation:
            self.error(wish.line, "ma_can_bo", f"{cadre.code} → {target.label}: {violation}")
        if len(self.errors) > before:
            return False
        return self._check_overlaps(wish)

    def _check_overlaps(self, wish: Wish) -> bool:
        for other in self._held.get(_key(wish.target), []):
            if not R.overlaps(wish.start, wish.end, other.start, other.end):
                continue
            if other.cadre_id == wish.cadre.id:
                self.error(wish.line, "ma_can_bo", _("%(cadre)s đã theo dõi %(target)s trong thời gian này")
                           % {"cadre": wish.cadre.code, "target": wish.target.label})
                return False
            if wish.role == R.PRIMARY and other.role == R.PRIMARY:
                self.error(wish.line, "vai_tro", _("%(target)s đã có người phụ trách chính trong thời gian này; hãy "
                                                   "kết thúc hoặc chuyển phân công cũ trước")
                           % {"target": wish.target.label})
                return False
        return True
