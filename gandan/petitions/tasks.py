"""Scheduled jobs of the concerns module (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.petitions import overdue, privacy


@db_periodic_task(crontab(minute="5", hour="*"))
def escalate_overdue_concerns() -> int:
    return overdue.escalate_overdue().escalated


@db_periodic_task(crontab(minute="40", hour="3"))
def erase_expired_contacts() -> int:
    """Erase the personal data of concerns closed longer ago than GANDAN_CONTACT_RETENTION_DAYS."""
    return privacy.erase_expired()
