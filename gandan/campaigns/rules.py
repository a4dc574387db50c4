"""Pure rules of campaigns: schedules, rule periods, the life cycle of an exemplary model, and who
has not joined enough events. Plain values in and out; the ORM gathers them (queries.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

WEEKENDS, THURSDAYS, DATES = "weekends", "thursdays", "dates"
MONTH, QUARTER = "month", "quarter"
REGISTERED, RECOGNISED, PRAISED, COMMENDED = "registered", "recognised", "praised", "commended"

# registered → recognised → praised or commended; a praised model may later be commended.
NEXT_STATUSES: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({RECOGNISED}),
    RECOGNISED: frozenset({PRAISED, COMMENDED}),
    PRAISED: frozenset({COMMENDED}),
    COMMENDED: frozenset(),
}


def may_move(current: str, new: str) -> bool:
    return new in NEXT_STATUSES.get(current, frozenset())


def on_schedule(schedule: str, dates: Iterable[str], day: dt.date) -> bool:
    """Whether `day` is one of the campaign's days (Saturday/Sunday, Thursday, or a listed ISO date)."""
    if schedule == WEEKENDS:
        return day.weekday() >= 5
    if schedule == THURSDAYS:
        return day.weekday() == 3
    return day.isoformat() in set(dates)


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the month (or quarter) of `day`."""
    if period == QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def next_period(start: dt.date, period: str) -> dt.date:
    months = 3 if period == QUARTER else 1
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, period: str) -> Iterator[dt.date]:
    """The first days of the months (quarters) that meet [start, end]."""
    current = period_start(start, period)
    while current <= end:
        yield current
        current = next_period(current, period)


@dataclass(frozen=True)
class Shortfall:
    cadre_id: int
    period: dt.date
    joined: int
    required: int


def shortfalls(expected: Iterable[int], joined: Mapping[tuple[int, dt.date], int], period_starts: Iterable[dt.date],
               required: int) -> list[Shortfall]:
    """Every (cadre, period) where the cadre joined fewer than `required` events, by period then cadre."""
    if required <= 0:
        return []
    cadres = sorted(set(expected))
    return [Shortfall(cadre, start, joined.get((cadre, start), 0), required)
            for start in period_starts for cadre in cadres if joined.get((cadre, start), 0) < required]
