"""The demo's rollups (run by `gandan demo`, after every module it counts): the last twelve months
and the running one rebuilt, so that the dashboards and reports have figures from the first run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gandan.core.months import add_months
from gandan.org.models import AdminUnit
from gandan.reports.measures import SOURCES
from gandan.reports.rollup import rebuild_month

MONTHS = 13
ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory,
           today: dt.date | None = None) -> dict[str, int]:
    """Rebuild the province's rollups (a rebuild replaces, so a second run changes nothing)."""
    first = (today or timezone.localdate()).replace(day=1)
    written = 0
    with progress(MONTHS * len(SOURCES), gettext("Bảng tổng hợp")) as bar:
        for back in range(MONTHS - 1, -1, -1):
            written += rebuild_month(add_months(first, -back), province_ids=[province.pk],
                                     step=lambda _name: bar.update(1))
    return {gettext("dòng tổng hợp"): written}
