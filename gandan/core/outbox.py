"""One way to hand a background job to the queue (huey): `enqueue(task, *args)`.

A write that asks for a job (a merge asks for its rollups to be rebuilt) must not fail, nor lose the
job, because the queue is unreachable: huey keeps its queue in Redis, and a Redis outage made the
request answer 500 after its write had committed. `enqueue` hands the job to huey; when the queue
cannot be reached it keeps the job in `core.QueuedJob` (the application's database, which the write
just used) and logs a WARNING on "gandan.jobs". The kept jobs are handed over, oldest first, by the
next enqueue that succeeds, by a job every minute (core/tasks.py) and when the worker starts
(`gandan worker`); a job is deleted from the table only once huey has it. A job runs at least once:
those queued this way are idempotent (a rebuild of rollups).

Call it after the write commits (`transaction.on_commit(lambda: outbox.enqueue(...))`), so that a
job is never queued for a write that rolled back.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from gandan.core.models import QueuedJob

log = logging.getLogger("gandan.jobs")
UNREACHABLE = (RedisError, OSError, sqlite3.Error)  # Redis in production, huey's SQLite file when embedded


def task_path(task: Any) -> str:
    return f"{task.func.__module__}.{task.func.__name__}"


def enqueue(task: Any, *args: Any) -> bool:
    """Hand `task(*args)` to huey (True), or keep it for later when the queue is unreachable (False).
    The arguments must be JSON (ids, not objects)."""
    try:
        task(*args)
    except UNREACHABLE as exc:
        QueuedJob.objects.create(task=task_path(task), args=list(args), attempts=1, last_error=_error(exc))
        log.warning("job kept for later, the queue is unreachable: %s%r (%s)", task_path(task), args, _error(exc))
        return False
    if QueuedJob.objects.exists():
        drain()
    return True


def drain() -> int:
    """Hand the kept jobs to huey, oldest first, until the queue refuses one; returns how many."""
    handed = 0
    for job in QueuedJob.objects.order_by("pk"):
        with transaction.atomic():
            locked = QueuedJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None:  # another process handed it over
                continue
            try:
                task = import_string(locked.task)
            except ImportError:
                log.error("kept job names no task (renamed?), left in core.QueuedJob: %s", locked.task)
                continue
            try:
                task(*locked.args)
            except UNREACHABLE as exc:
                QueuedJob.objects.filter(pk=locked.pk).update(attempts=locked.attempts + 1,
                                                              last_error=_error(exc))
                log.warning("kept jobs still waiting, the queue is unreachable: %s", _error(exc))
                return handed
            locked.delete()
        handed += 1
        log.info("kept job handed to the queue: %s%r", job.task, job.args)
    return handed


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
