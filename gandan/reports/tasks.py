"""Scheduled jobs of the reports (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gandan.reports import jobs


@db_periodic_task(crontab(minute="*/10"))
def refresh_current_rollups() -> int:
    return jobs.refresh_current_rollups()


@db_task()
def rebuild_rollups_of(province_ids: list[int]) -> int:
    """After a merge: every month held for these provinces, rebuilt on the tree as it now is."""
    return jobs.rebuild_all_months(province_ids)
