"""Month arithmetic on first days, shared by the apps (reports' periods, the evaluation's months and step
deadlines): one helper instead of each app's "28th plus four days"."""

from __future__ import annotations

import datetime as dt


def add_months(first: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after (before, when negative) the month of `first`."""
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)
