"""Scheduled jobs of the concerns module (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.petitions import overdue


@db_periodic_task(crontab(minute="5", hour="*"))
def escalate_overdue_concerns() -> int:
    return overdue.escalate_overdue().escalated
