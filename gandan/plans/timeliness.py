"""Timeliness from dates, a pure rule: a task done on or before its due date is on time; done later,
it is late by the number of calendar days past the due date (Decree 335/2025/NĐ-CP, Art. 14 counts
each delay; a certified objective cause exempts it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Timeliness:
    on_time: bool
    days_late: int  # 0 when on time


def timeliness(*, due_on: dt.date, done_on: dt.date) -> Timeliness:
    late = (done_on - due_on).days
    return Timeliness(on_time=late <= 0, days_late=max(late, 0))


def days_overdue(*, due_on: dt.date, today: dt.date) -> int:
    """Days an unfinished task is past its due date (0 while it is not)."""
    return max((today - due_on).days, 0)


def due_within(*, due_on: dt.date, today: dt.date, days: int) -> bool:
    """True when an unfinished task falls due today or in the next `days` days."""
    return 0 <= (due_on - today).days <= days
