"""The rollup refresh the scheduler runs: the running month, and the month before during the first
days of a month (late records and answers still land in it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gandan.core.months import add_months
from gandan.reports.rollup import rebuild_month

LATE_DAYS = 10


def refresh_current_rollups() -> int:
    today = timezone.localdate()
    first = today.replace(day=1)
    written = rebuild_month(first)
    if today.day <= LATE_DAYS:
        written += rebuild_month(add_months(first, -1))
    return written


def rebuild_all_months(province_ids: list[int]) -> int:
    """Rebuild every month held for these provinces (after a merge has moved units between them)."""
    from gandan.reports.models import Rollup

    periods = sorted(set(Rollup.objects.filter(province_id__in=province_ids).values_list("period", flat=True)))
    return sum(rebuild_month(dt.date(int(key[:4]), int(key[5:7]), 1), province_ids=province_ids) for key in periods)
