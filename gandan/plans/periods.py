"""Plan periods, a pure rule: a month or a quarter, named by its first day."""

from __future__ import annotations

import datetime as dt


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last_month = first.replace(month=first.month + 2)
    return first, month_bounds(last_month)[1]


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month or quarter (`kind`) that contains `day`."""
    if kind == "quarter":
        return quarter_bounds(day)
    if kind == "month":
        return month_bounds(day)
    raise ValueError(f"unknown period: {kind}")


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_of(text: str, today: dt.date) -> dt.date:
    """"2026-03" → 1 March 2026; anything else (or a year out of range) → the first of today's month."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if not 2000 <= year <= 2100:
            raise ValueError(text)
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)
