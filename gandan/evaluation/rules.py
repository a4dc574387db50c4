"""Scoring, grading, vetoes, the cap on excellent and the year: pure functions over plain values.

Every number is reproducible by hand (Decimal, two places, half up):

- general points: each criterion's points, clamped to [0, its maximum], summed (≤ 30);
- task ratios, from the plans figures (gandan/plans/figures.py), each clamped to [0, 1]:
  quantity = completed / assigned; quality = (completed at quality − quality deductions) / assigned;
  progress = (completed on time − progress deductions) / assigned. A deduction lowers a numerator,
  never below zero; an exemption removes a deduction. With nothing assigned the task points follow
  the general points' share (general / 30 × 70), so that a month without tasks is graded on the rest;
- task points = the rubric's combination of the three ratios × 70 (the default: their mean);
- a leader's task points: (1 − share) × personal + share × the mean of the direction criteria
  (unit results: 100% when every cadre they manage is at least "done", `unit_failed_ratio` (50%)
  when any failed; organising capacity: 100% when all the unit's tasks were on time, at quality,
  with initiatives, else the mean of the unit's progress and quality ratios);
- grade: ≥ 90 excellent, ≥ 70 good, ≥ 50 done, else failed; any veto → failed whatever the score;
  366-QĐ/TW (party) lowers excellent to good unless every task was on time and at quality and at
  least 30% exceeded requirements, and good to done unless every task was on time and at quality;
- cap: excellent ≤ floor(20% × those graded good-or-better) in an agency and in each group of similar
  tasks; the excellent ranked lowest (by score, then the order given) are "above the line";
- year: the mean of the months worked (or of the quarters' means), a transfer's months merged once, by the
  rubric's leave and transfer rules (rubric.LeaveRule, rubric.TransferRule; the defaults: a month on leave
  is left out, the month of a transfer goes to the unit where more days were worked, the new unit's on a
  tie, and the old unit's months are sent along).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gandan.evaluation.rubric import LeaveRule, RubricRules, TransferRule

EXCELLENT, GOOD, DONE, FAILED = "excellent", "good", "done", "failed"
GRADES = (EXCELLENT, GOOD, DONE, FAILED)  # best first
ZERO, ONE = Decimal(0), Decimal(1)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def rank(grade: str) -> int:
    """0 for excellent … 3 for failed."""
    return GRADES.index(grade)


# -- task results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskFigures:
    """The plans figures of one cadre and month, in converted work products."""

    assigned: Decimal = ZERO
    completed: Decimal = ZERO
    at_quality: Decimal = ZERO
    on_time: Decimal = ZERO
    quality_deduction: Decimal = ZERO
    progress_deduction: Decimal = ZERO


@dataclass(frozen=True)
class Ratios:
    quantity: Decimal
    quality: Decimal
    progress: Decimal

    def as_dict(self) -> dict[str, Decimal]:
        return {"quantity": self.quantity, "quality": self.quality, "progress": self.progress}


def ratios(f: TaskFigures) -> Ratios | None:
    """The three ratios (4 places), or None when nothing was assigned."""
    if f.assigned <= 0:
        return None

    def part(numerator: Decimal) -> Decimal:
        return clamp(numerator / f.assigned, ZERO, ONE).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    return Ratios(quantity=part(f.completed), quality=part(max(ZERO, f.at_quality - f.quality_deduction)),
                  progress=part(max(ZERO, f.on_time - f.progress_deduction)))


def combine(r: Ratios, rubric: RubricRules) -> Decimal:
    """The rubric's combination of the ratios, in [0, 1]."""
    values = r.as_dict()
    if rubric.combination == "min":
        return min(values.values())
    if rubric.combination == "weighted":
        total = sum(w for _name, w in rubric.weights)
        return sum((values[name] * w for name, w in rubric.weights), ZERO) / total
    return sum(values.values(), ZERO) / 3


@dataclass(frozen=True)
class Direction:
    """A leader's direction criteria: the grades of the cadres they manage and the unit's tasks."""

    managed_grades: tuple[str, ...] = ()
    unit: TaskFigures = TaskFigures()
    initiatives: bool = False

    def unit_results(self, rubric: RubricRules) -> Decimal:
        return rubric.unit_failed_ratio if FAILED in self.managed_grades else ONE

    def organising(self) -> Decimal:
        r = ratios(self.unit)
        if r is None:
            return ONE if self.initiatives else Decimal("0.5")
        if r.progress == ONE and r.quality == ONE and self.initiatives:
            return ONE
        return (r.progress + r.quality) / 2


@dataclass(frozen=True)
class Score:
    general: Decimal
    tasks: Decimal
    total: Decimal
    ratios: Ratios | None
    direction: Decimal | None = None  # a leader's direction ratio


def general_points(points: Mapping[str, Decimal | None], rubric: RubricRules) -> Decimal:
    """Each criterion's points clamped to [0, max]; a missing one counts 0."""
    total = ZERO
    for criterion in rubric.general:
        value = points.get(criterion.code)
        total += clamp(value if value is not None else ZERO, ZERO, criterion.max_points)
    return min(total, rubric.general_max)


def score(points: Mapping[str, Decimal | None], figures: TaskFigures, rubric: RubricRules,
          direction: Direction | None = None) -> Score:
    general = general_points(points, rubric)
    r = ratios(figures)
    personal = combine(r, rubric) if r is not None else general / rubric.general_max
    ratio, direction_ratio = personal, None
    if direction is not None:
        direction_ratio = (direction.unit_results(rubric) + direction.organising()) / 2
        ratio = (ONE - rubric.direction_share) * personal + rubric.direction_share * direction_ratio
    tasks = q2(clamp(ratio, ZERO, ONE) * rubric.tasks_max)
    return Score(general=q2(general), tasks=tasks, total=q2(general) + tasks, ratios=r,
                 direction=None if direction_ratio is None else q2(direction_ratio * 100))


# -- grades ------------------------------------------------------------------------------------------
def grade_for(total: Decimal, rubric: RubricRules) -> str:
    if total >= rubric.excellent:
        return EXCELLENT
    if total >= rubric.good:
        return GOOD
    if total >= rubric.done:
        return DONE
    return FAILED


@dataclass(frozen=True)
class PartyRecord:
    """366-QĐ/TW: whether every task was on time and at quality, and the share that exceeded requirements."""

    all_on_time: bool
    all_at_quality: bool
    exceeding_pct: Decimal = ZERO


def party_record(figures: TaskFigures, exceeding: Decimal = ZERO) -> PartyRecord:
    r = ratios(figures)
    if r is None:
        return PartyRecord(True, True, ZERO)
    pct = ZERO if figures.assigned <= 0 else q2(clamp(exceeding / figures.assigned, ZERO, ONE) * 100)
    return PartyRecord(r.progress == ONE, r.quality == ONE, pct)


def graded(total: Decimal, rubric: RubricRules, vetoes: Iterable[str] = (), party: PartyRecord | None = None) -> str:
    """The grade by the score, then the party conditions (if the rubric has them), then the vetoes."""
    if any(v in rubric.vetoes for v in vetoes):
        return FAILED
    grade = grade_for(total, rubric)
    if rubric.party and party is not None:
        perfect = party.all_on_time and party.all_at_quality
        if grade == EXCELLENT and not (perfect and party.exceeding_pct >= rubric.party_exceeding_pct):
            grade = GOOD
        if grade == GOOD and not perfect:
            grade = DONE
    return grade


# -- the cap -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    key: Hashable  # a cadre
    grade: str
    total: Decimal
    group: str = ""  # the group of similar tasks


@dataclass
class CapResult:
    scope: str  # "" for the agency, else the group
    allowed: int
    excellent: int
    base: int  # those the share is taken of
    above_line: list[Hashable] = field(default_factory=list)

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed


def allowed_excellent(base: int, rubric: RubricRules) -> int:
    return math.floor(Decimal(base) * rubric.cap_pct / 100)


def _cap_one(scope: str, entries: Sequence[Entry], rubric: RubricRules) -> CapResult:
    of = (EXCELLENT, GOOD) if rubric.cap_of == "good_or_better" else (GOOD,)
    base = sum(1 for e in entries if e.grade in of)
    excellent = [e for e in entries if e.grade == EXCELLENT]
    allowed = allowed_excellent(base, rubric)
    ordered = sorted(enumerate(excellent), key=lambda pair: (-pair[1].total, pair[0]))
    above = [e.key for _i, e in ordered[allowed:]]
    return CapResult(scope=scope, allowed=allowed, excellent=len(excellent), base=base, above_line=above)


def cap_check(entries: Sequence[Entry], rubric: RubricRules) -> list[CapResult]:
    """The agency's result first, then each group's (in name order)."""
    results = [_cap_one("", entries, rubric)]
    for group in sorted({e.group for e in entries if e.group}):
        results.append(_cap_one(group, [e for e in entries if e.group == group], rubric))
    return results


def cap_exceeded(entries: Sequence[Entry], rubric: RubricRules) -> list[Hashable]:
    """Who is above the line in the agency or in any group (empty when the cap holds), in order."""
    above: list[Hashable] = []
    for result in cap_check(entries, rubric):
        above += [key for key in result.above_line if key not in above]
    return above


def within_cap(entries: Sequence[Entry], rubric: RubricRules) -> list[Entry]:
    """The grades step 3 may conclude: excellent above the line become good, until the cap holds."""
    current = list(entries)
    while True:
        above = set(cap_exceeded(current, rubric))
        if not above:
            return current
        current = [Entry(e.key, GOOD, e.total, e.group) if e.key in above else e for e in current]


# -- the year ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Month:
    """One month's concluded result, where it was made (`agency`), and whether the cadre worked it."""

    month: int  # 1–12
    total: Decimal
    grade: str
    agency: Hashable = None
    worked: bool = True  # False: on legitimate, sick or maternity leave for the whole month
    days_worked: int = 30
    vetoes: tuple[str, ...] = ()


DEFAULT_LEAVE, DEFAULT_TRANSFER = LeaveRule(), TransferRule()  # Decree 335's


def month_worked(on_leave: bool, days_worked: int, leave: LeaveRule = DEFAULT_LEAVE) -> bool:
    """Whether a month counts as worked: not marked on leave, and at least the rule's days worked."""
    return not on_leave and days_worked >= leave.min_days


def merge_transfer(own: Iterable[Month], sent: Iterable[Month],
                   transfer: TransferRule = DEFAULT_TRANSFER) -> list[Month]:
    """The new unit's months and, when the rule sends them along, the old unit's, one per month. Where both
    have a month (a transfer during it): by "more_days" the one with more days worked stays, the new unit's on
    a tie; by "new_unit" the new unit's."""
    merged: dict[int, Month] = {m.month: m for m in sent} if transfer.sent_along else {}
    for m in own:
        other = merged.get(m.month)
        if other is None or transfer.month == "new_unit" or m.days_worked >= other.days_worked:
            merged[m.month] = m
    return [merged[k] for k in sorted(merged)]


@dataclass(frozen=True)
class Year:
    total: Decimal | None  # None: not graded (too few months worked)
    grade: str | None
    months_counted: int
    vetoes: tuple[str, ...]


def annual(months: Iterable[Month], rubric: RubricRules, vetoes: Iterable[str] = ()) -> Year:
    """The year's score by the rubric's rule over the months worked, its grade with the year's vetoes. By the
    leave rule "worked_mean" a month on leave counts too (towards `min_months` and its quarter), with the mean
    of the months worked."""
    given = list(months)
    worked = [m for m in given if m.worked]
    year_vetoes = tuple(sorted({*vetoes, *(v for m in worked for v in m.vetoes)} & set(rubric.vetoes)))
    counted = worked
    if worked and rubric.leave.month == "worked_mean":
        mean = sum((m.total for m in worked), ZERO) / len(worked)
        counted = [m if m.worked else Month(m.month, mean, m.grade, m.agency, False, m.days_worked) for m in given]
    if not worked or len(counted) < rubric.min_months:
        return Year(None, FAILED if year_vetoes else None, len(counted), year_vetoes)
    if rubric.annual == "quarters":
        quarters: dict[int, list[Decimal]] = {}
        for m in counted:
            quarters.setdefault((m.month - 1) // 3, []).append(m.total)
        parts = [sum(v, ZERO) / len(v) for v in quarters.values()]
    else:
        parts = [m.total for m in counted]
    total = q2(sum(parts, ZERO) / len(parts))
    return Year(total, graded(total, rubric, year_vetoes), len(counted), year_vetoes)


def rankings(totals: Mapping[Hashable, Decimal]) -> dict[Hashable, int]:
    """Competition ranking (1, 2, 2, 4) by score, best first."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in totals.items()}
