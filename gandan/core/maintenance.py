"""Housekeeping jobs as plain functions; `core/tasks.py` schedules them."""

from __future__ import annotations

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone

from gandan.core.audit import ChainReport, verify_chain

log = logging.getLogger(__name__)


def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def check_audit_chain() -> ChainReport:
    report = verify_chain()
    if not report.ok:
        log.error("audit chain broken at event #%s: %s", report.broken_at, report.reason)
    return report
