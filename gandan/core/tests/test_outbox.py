"""Jobs asked for while the queue is unreachable (core/outbox.py): kept in the database with a WARNING,
never lost, handed to huey — oldest first, once each — by the next enqueue that succeeds, the job of
every minute and the worker's start. Redis is made unreachable by pointing huey at a closed port."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command

from gandan.core import maintenance, outbox, tasks
from gandan.core.management.commands import worker
from gandan.core.models import QueuedJob
from gandan.core.testing_queue import queue_unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(monkeypatch) -> list[str]:
    """What the jobs did: the audit check and the sessions' clean-up, counted instead of run."""
    done: list[str] = []
    monkeypatch.setattr(maintenance, "check_audit_chain", lambda: _ok(done))
    monkeypatch.setattr(maintenance, "clear_expired_sessions", lambda: _counted(done, "sessions", 0))
    return done


class _Ok:
    ok = True


def _counted(done: list[str], what: str, answer: object) -> object:
    done.append(what)
    return answer


def _ok(done: list[str]) -> object:
    return _counted(done, "audit", _Ok())


def test_an_unreachable_queue_keeps_the_job_and_logs_it(ran, caplog):
    with queue_unreachable(), caplog.at_level(logging.WARNING, logger="gandan.jobs"):
        assert outbox.enqueue(tasks.check_audit_chain) is False
        assert outbox.drain() == 0  # still down: kept, one more attempt
    job = QueuedJob.objects.get()
    assert (job.task, job.args, job.attempts) == ("gandan.core.tasks.check_audit_chain", [], 2)
    assert "ConnectionError" in job.last_error and ran == []
    assert "job kept for later" in caplog.text and "gandan.core.tasks.check_audit_chain" in caplog.text


def test_the_next_enqueue_that_succeeds_hands_the_kept_ones_over_first_come_first(ran):
    with queue_unreachable():
        outbox.enqueue(tasks.check_audit_chain)
        outbox.enqueue(tasks.clear_expired_sessions)
    assert QueuedJob.objects.count() == 2
    assert outbox.enqueue(tasks.check_audit_chain) is True  # Redis is back (immediate mode runs it here)
    assert ran == ["audit", "audit", "sessions"] and not QueuedJob.objects.exists()


def test_the_minute_job_hands_them_over(ran):
    with queue_unreachable():
        outbox.enqueue(tasks.clear_expired_sessions)
    assert tasks.hand_over_kept_jobs.call_local() == 1
    assert ran == ["sessions"] and not QueuedJob.objects.exists()
    assert tasks.hand_over_kept_jobs.call_local() == 0


def test_the_worker_hands_them_over_when_it_starts(ran, monkeypatch):
    with queue_unreachable():
        outbox.enqueue(tasks.clear_expired_sessions)
    started: list[dict] = []
    monkeypatch.setattr(worker, "call_command", lambda name, **options: started.append(options))
    call_command("worker")
    assert ran == ["sessions"] and started and not QueuedJob.objects.exists()


def test_a_job_whose_task_is_gone_is_left_with_an_error(ran, caplog):
    QueuedJob.objects.create(task="gandan.core.tasks.no_such_task", args=[])
    with queue_unreachable():
        outbox.enqueue(tasks.clear_expired_sessions)
    assert outbox.drain() == 1 and ran == ["sessions"]
    assert list(QueuedJob.objects.values_list("task", flat=True)) == ["gandan.core.tasks.no_such_task"]
    assert "names no task" in caplog.text
