"""The rollup refresh the scheduler runs: the running month, and the month before during the first
days of a month (late records and answers still land in it)."""

from __future__ import annotations

from django.utils import timezone

from gandan.reports.periods import add_months
from gandan.reports.rollup import rebuild_month

LATE_DAYS = 10


def refresh_current_rollups() -> int:
    today = timezone.localdate()
    first = today.replace(day=1)
    written = rebuild_month(first)
    if today.day <= LATE_DAYS:
        written += rebuild_month(add_months(first, -1))
    return written
