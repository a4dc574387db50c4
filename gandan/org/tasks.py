"""Scheduled jobs of the tree (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.org import services


@db_periodic_task(crontab(minute="1"))
def apply_due_merges() -> int:
    """Every hour (whatever clock huey keeps): the merges whose day has come in Vietnam take effect, so
    within the first hour of their day."""
    return services.merges_apply_due()
