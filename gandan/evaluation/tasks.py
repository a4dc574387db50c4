"""Scheduled jobs of the evaluation (huey discovers `tasks` modules in every app)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gandan.evaluation import reminders


@db_periodic_task(crontab(minute="30", hour="7"))
def remind_late_evaluation_steps() -> dict[str, int]:
    return reminders.send_reminders()
