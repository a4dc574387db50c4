from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from gandan.core import maintenance, tasks
from gandan.core.models import AuditEvent
from gandan.core.tests.test_audit import record_writes


def test_expired_sessions_are_cleared(db):
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - dt.timedelta(days=1))
    assert maintenance.clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_audit_check_job_reports_a_broken_chain(db, caplog):
    record_writes(["Tỉnh Thử", "Tỉnh Khác", "Xã Thử"])
    assert maintenance.check_audit_chain().ok
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("id")[1].pk).delete()
    assert not maintenance.check_audit_chain().ok
    assert "audit chain broken" in caplog.text


def test_scheduled_tasks_run_the_same_services(db):
    """The scheduled tasks are thin wrappers: their body is the service tested above."""
    record_writes(["Tỉnh Thử"])
    assert tasks.check_audit_chain.call_local() is True
    tasks.check_audit_chain()  # enqueued and executed at once in immediate mode
    assert tasks.clear_expired_sessions.call_local() == 0


def test_a_worker_without_the_schedule_passes_it_to_huey(db, monkeypatch):  # db: it hands over kept jobs first
    """Several consumers on one Redis: all but one run `gandan worker --no-periodic`."""
    from django.core.management import call_command

    from gandan.core.management.commands import worker

    seen = []
    monkeypatch.setattr(worker, "call_command", lambda name, **options: seen.append((name, options)))
    call_command("worker", "--no-periodic", "--workers", "2")
    call_command("worker")
    assert seen == [("run_huey", {"periodic": False, "workers": 2}), ("run_huey", {"periodic": True})]
