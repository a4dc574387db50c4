"""Quota compliance as pure functions over plain values (the ORM gathers the counts, see queries.py).

A quota says what a cadre of one level (and optionally one employment type) must do in a month:
N field days (distinct days with a field-day visit), M visits of any kind, and a share of the
meetings of the units they follow attended. A month that is still running is judged against the
pace so far ("behind" = below the target pro rata), a past month against the whole target.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

FIELD_DAYS, VISITS, MEETINGS = "field_days", "visits", "meetings"
MEASURES = (FIELD_DAYS, VISITS, MEETINGS)
_K = TypeVar("_K", bound=Hashable)


@dataclass(frozen=True)
class QuotaRule:
    field_days: int = 0
    visits: int = 0
    meeting_pct: int = 0


@dataclass(frozen=True)
class Activity:
    """What a cadre did in a month. `meetings_expected`: meetings of followed units they were on the
    sheet of; `meetings_attended`: those they were present at."""

    field_days: int = 0
    visits: int = 0
    meetings_expected: int = 0
    meetings_attended: int = 0


@dataclass(frozen=True)
class Measure:
    name: str
    done: int
    target: int  # for the whole month
    due: int  # expected by now (= target for a finished month)

    @property
    def met(self) -> bool:
        return self.done >= self.target

    @property
    def behind(self) -> bool:
        return self.done < self.due

    @property
    def pct(self) -> int:
        """Progress towards the month's target, 0–100 (100 when nothing is required)."""
        return 100 if self.target <= 0 else min(100, round(100 * self.done / self.target))


@dataclass(frozen=True)
class Compliance:
    measures: tuple[Measure, ...]

    @property
    def met(self) -> bool:
        return all(m.met for m in self.measures)

    @property
    def behind(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.measures if m.behind)

    @property
    def is_behind(self) -> bool:
        return bool(self.behind)

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)


def rule_for(level: str, employment_type: str,
             rules: Mapping[tuple[str, str], QuotaRule]) -> QuotaRule | None:
    """The most specific rule: (level, employment type), else (level, any type), else none."""
    return rules.get((level, employment_type)) or rules.get((level, ""))


def month_progress(month: dt.date, today: dt.date) -> tuple[int, int]:
    """(days elapsed, days in month) of `month` as seen on `today`: a past month is fully elapsed."""
    days = calendar.monthrange(month.year, month.month)[1]
    first = month.replace(day=1)
    if today < first:
        return 0, days
    if (today.year, today.month) != (month.year, month.month):
        return days, days
    return today.day, days


def due_by(target: int, elapsed: int, days: int) -> int:
    """What should be done after `elapsed` of `days` days, rounded down (no one is behind on day 1)."""
    if days <= 0 or elapsed >= days:
        return target
    return math.floor(target * elapsed / days)


def meetings_required(expected: int, pct: int) -> int:
    """Meetings to attend out of `expected` for a share of `pct` percent (rounded up)."""
    return math.ceil(expected * pct / 100) if pct > 0 else 0


def assess(activity: Activity, rule: QuotaRule, *, elapsed: int | None = None,
           days: int | None = None) -> Compliance:
    """One cadre's month. Give `elapsed`/`days` for a running month to judge "behind" by pace."""

    def due(target: int) -> int:
        return target if elapsed is None or days is None else due_by(target, elapsed, days)

    measures = [Measure(FIELD_DAYS, activity.field_days, rule.field_days, due(rule.field_days)),
                Measure(VISITS, activity.visits, rule.visits, due(rule.visits))]
    if rule.meeting_pct > 0 and activity.meetings_expected > 0:
        # Meetings counted are past ones, so the whole requirement is already due.
        need = meetings_required(activity.meetings_expected, rule.meeting_pct)
        measures.append(Measure(MEETINGS, activity.meetings_attended, need, need))
    return Compliance(tuple(m for m in measures if m.target > 0))


@dataclass(frozen=True)
class GroupSummary:
    key: Hashable
    cadres: int
    met: int
    behind: int

    @property
    def rate(self) -> float:
        """Share of the group's cadres who met every quota, 0.0–1.0 (1.0 for an empty group)."""
        return 1.0 if self.cadres == 0 else self.met / self.cadres

    @property
    def pct(self) -> int:
        return round(100 * self.rate)


def summarise(items: Iterable[tuple[_K, Compliance]]) -> dict[_K, GroupSummary]:
    """Per group key: how many cadres, how many met every quota, how many are behind."""
    counts: dict[_K, list[int]] = {}
    for key, result in items:
        row = counts.setdefault(key, [0, 0, 0])
        row[0] += 1
        row[1] += result.met
        row[2] += result.is_behind
    return {key: GroupSummary(key, *row) for key, row in counts.items()}


def group_by(results: Mapping[int, Compliance], key_of: Callable[[int], _K]) -> dict[_K, GroupSummary]:
    """Summaries of per-cadre results grouped by `key_of(cadre_id)` (agency, unit…)."""
    return summarise((key_of(cadre_id), result) for cadre_id, result in results.items())


def overall(results: Mapping[int, Compliance]) -> GroupSummary:
    return summarise(("all", r) for r in results.values()).get("all", GroupSummary("all", 0, 0, 0))
