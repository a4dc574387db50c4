"""Scheduled jobs of the core module (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.core import maintenance, outbox


@db_periodic_task(crontab(minute="15", hour="*"))
def clear_expired_sessions() -> int:
    return maintenance.clear_expired_sessions()


@db_periodic_task(crontab(minute="30", hour="2"))
def check_audit_chain() -> bool:
    return maintenance.check_audit_chain().ok


@db_periodic_task(crontab(minute="*"))
def hand_over_kept_jobs() -> int:
    """The jobs a request kept while the queue was unreachable (core/outbox.py)."""
    return outbox.drain()
