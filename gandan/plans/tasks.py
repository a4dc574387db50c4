"""Scheduled jobs of the plans module (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.plans import reminders


@db_periodic_task(crontab(minute="0", hour="7"))
def remind_due_and_waiting_tasks() -> dict[str, int]:
    return reminders.send_reminders()
