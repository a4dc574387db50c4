"""The daily work log's bounds, as plain rules (no ORM): users of these logs say hours are over-declared,
so a day holds at most `DAY_MAX_HOURS` — the normal 8 hours and the overtime the Labour Code allows in a
day (Bộ luật Lao động 2019, Art. 107: at most 50% of the normal daily hours) — a line is written for
today or the week before, never later, and the assessor sees each day whose total passes the normal
hours (`over_normal`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

NORMAL_DAY_HOURS = Decimal(8)
DAY_MAX_HOURS = NORMAL_DAY_HOURS * Decimal("1.5")
LATE_DAYS = 7


def fits_the_day(*, logged: Decimal, adding: Decimal) -> bool:
    """A line of `adding` hours fits a day that already holds `logged` hours."""
    return Decimal(0) < adding and logged + adding <= DAY_MAX_HOURS


def room_left(logged: Decimal) -> Decimal:
    return max(DAY_MAX_HOURS - logged, Decimal(0))


def may_log_on(*, day: dt.date, today: dt.date) -> bool:
    """Today or one of the `LATE_DAYS` days before: a log written weeks later is a guess, not a log."""
    return today - dt.timedelta(days=LATE_DAYS) <= day <= today


def over_normal(total: Decimal) -> bool:
    """A day logged beyond the normal working hours: shown to the assessor."""
    return total > NORMAL_DAY_HOURS
