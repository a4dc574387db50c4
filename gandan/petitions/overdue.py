"""The hourly overdue job as a plain service (tasks.py schedules it): every open concern past a
deadline goes one level up, and the leaders of the holder that let it lapse are told. At the top
of the tree, where there is no level up, the leaders are reminded once a day instead."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gandan.petitions import notify, services
from gandan.petitions.models import Notification, Petition

log = logging.getLogger(__name__)
REMIND_EVERY = dt.timedelta(days=1)
BATCH = 500


@dataclass
class OverdueReport:
    escalated: int = 0
    reminded: int = 0
    skipped: int = 0


def escalate_overdue(now: dt.datetime | None = None, limit: int = BATCH) -> OverdueReport:
    """Escalate up to `limit` overdue concerns (oldest deadline first); each in its own transaction."""
    now = now or timezone.now()
    report = OverdueReport()
    rows = list(Petition.objects.overdue(now).select_related("holder_unit", "holder_agency")
                .order_by("due_at", "id")[:limit])
    for petition in rows:
        lapsed_unit, lapsed_agency = petition.holder_unit, petition.holder_agency
        try:
            escalated = services.petition_escalate(
                actor=None, petition=petition, auto=True, version=petition.version,
                note=f"Quá hạn xử lý tại {lapsed_agency.name if lapsed_agency else lapsed_unit.name}; "
                     f"hệ thống tự động chuyển cấp trên")
        except services.Conflict:
            report.skipped += 1  # a handler acted meanwhile
            continue
        except ValidationError:
            report.reminded += _remind(petition, now)
            continue
        with transaction.atomic():
            notify.send(escalated, Notification.Kind.OVERDUE,
                        f"Phản ánh {escalated.code} đã quá hạn và được tự động chuyển lên "
                        f"{escalated.holder_agency.name if escalated.holder_agency else escalated.holder_unit.name}",
                        notify.leaders_of(lapsed_unit, lapsed_agency), now)
        report.escalated += 1
    if report.escalated or report.reminded:
        log.info("overdue concerns: %s escalated, %s reminded", report.escalated, report.reminded)
    return report


def _remind(petition: Petition, now: dt.datetime) -> int:
    """At the top level: remind the holder's leaders, at most once a day."""
    if petition.overdue_noticed_at is not None and now - petition.overdue_noticed_at < REMIND_EVERY:
        return 0
    with transaction.atomic():
        notify.send(petition, Notification.Kind.OVERDUE,
                    f"Phản ánh {petition.code} đã quá hạn xử lý", notify.leaders_of(
                        petition.holder_unit, petition.holder_agency), now)
        Petition.objects.filter(pk=petition.pk).update(overdue_noticed_at=now)
    return 1
