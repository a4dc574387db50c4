"""From stored sheets to the pure rules and back: a sheet's score, and the conclusion of an agency's
month as step 3 sees it (the distribution, the cap and who is above the line) before anything is
written. Reads only; the writes are in services.py."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from gandan.evaluation import evidence as ev
from gandan.evaluation import rules
from gandan.evaluation.models import AgencyMonth, Rubric, Sheet, SheetStatus
from gandan.evaluation.rubric import RubricRules


@lru_cache(maxsize=256)
def _rules(pk: int, body: str) -> RubricRules:
    return RubricRules.from_data(json.loads(body))


def rubric_rules(rubric: Rubric) -> RubricRules:
    return _rules(rubric.pk, json.dumps(rubric.body, sort_keys=True))


def sheet_points(sheet: Sheet) -> dict[str, Decimal | None]:
    """Each criterion's points as they stand: the assessor's where given, else the cadre's."""
    return {s.code: s.points for s in sheet.scores.all()}


def sheet_score(sheet: Sheet, rubric: RubricRules, direction: rules.Direction | None = None) -> rules.Score:
    return rules.score(sheet_points(sheet), ev.task_figures(sheet.evidence), rubric, direction)


def sheet_grade(sheet: Sheet, rubric: RubricRules, total: Decimal, vetoes: Sequence[str] = ()) -> str:
    party = rules.party_record(ev.task_figures(sheet.evidence), sheet.exceeding) if rubric.party else None
    return rules.graded(total, rubric, vetoes, party)


@dataclass
class Row:
    sheet: Sheet
    score: rules.Score | None
    computed: str  # by score, party conditions and vetoes
    grade: str  # as it will be concluded (the leadership may lower it)
    vetoes: list[str]
    above_line: bool = False


@dataclass
class Conclusion:
    month: AgencyMonth
    rows: list[Row]
    cap: list[rules.CapResult]
    above: list[int] = field(default_factory=list)  # sheet ids above the line
    not_ready: list[Sheet] = field(default_factory=list)  # sheets not yet through step 2

    @property
    def distribution(self) -> dict[str, int]:
        counts = Counter(r.grade for r in self.rows if r.grade)
        return {grade: counts.get(grade, 0) for grade in rules.GRADES}

    @property
    def above_names(self) -> list[str]:
        return [r.sheet.cadre.full_name for r in self.rows if r.above_line]

    @property
    def ready(self) -> bool:
        return not self.above and not self.not_ready


def conclusion(month: AgencyMonth, sheets: Sequence[Sheet], *, vetoes: Mapping[int, Sequence[str]] | None = None,
               grades: Mapping[int, str] | None = None) -> Conclusion:
    """The agency's month as it would be concluded with these vetoes and lowered grades (sheet id → …)."""
    vetoes, grades = vetoes or {}, grades or {}
    rows: dict[int, Row] = {}
    not_ready = [s for s in sheets if not s.on_leave and s.status not in (SheetStatus.ASSESSED,
                                                                         SheetStatus.CONCLUDED)]
    managed: dict[int, list[Sheet]] = {}
    for s in sheets:
        if s.cadre.manager_id:
            managed.setdefault(s.cadre.manager_id, []).append(s)
    ordered = sorted(sheets, key=lambda s: (s.is_leader, s.pk))  # the managed before their leaders
    for s in ordered:
        rubric = rubric_rules(s.rubric)
        if s.on_leave:
            rows[s.pk] = Row(s, None, "", "", [])
            continue
        these = [v for v in vetoes.get(s.pk, s.vetoes) if v in rubric.vetoes]
        direction = None
        if s.is_leader:
            reports = managed.get(s.cadre_id, [])
            direction = rules.Direction(
                managed_grades=tuple(rows[r.pk].grade for r in reports if r.pk in rows),
                unit=ev.task_figures(ev.merge(r.evidence for r in reports)),
                initiatives=s.initiatives)
        score = sheet_score(s, rubric, direction)
        computed = sheet_grade(s, rubric, score.total, these)
        stored = s.grade if s.grade and rules.rank(s.grade) >= rules.rank(computed) else computed
        chosen = grades.get(s.pk, stored)  # a concluded (or reopened) sheet keeps the grade it was given
        grade = chosen if chosen in rules.GRADES and rules.rank(chosen) >= rules.rank(computed) else computed
        rows[s.pk] = Row(s, score, computed, grade, these)
    result = [rows[s.pk] for s in sheets]
    graded_rows = [r for r in result if r.grade]
    cap: list[rules.CapResult] = []
    above: list[int] = []
    if sheets:
        rubric = rubric_rules(sheets[0].rubric)
        entries = [rules.Entry(r.sheet.pk, r.grade, r.score.total if r.score else Decimal(0), r.sheet.task_group)
                   for r in graded_rows]
        cap = rules.cap_check(entries, rubric)
        above = [int(k) for k in rules.cap_exceeded(entries, rubric)]  # type: ignore[call-overload]  # sheet ids
        for r in result:
            r.above_line = r.sheet.pk in above
    return Conclusion(month, result, cap, above, not_ready)


def values(sheets: Sequence[Sheet]) -> list[dict[str, Any]]:
    """What a reopening keeps: each sheet's scores and grade."""
    return [{"sheet": s.pk, "cadre": s.cadre_id, "total": s.total, "grade": s.grade,
             "points": {sc.code: {"self": sc.self_points, "assessor": sc.assessor_points} for sc in s.scores.all()}}
            for s in sheets]
