"""Writes of the reporting workflow: a unit submits its period report to the level above, which
accepts it (locked) or returns it with a reason, and may reopen an accepted one. Atomic, audited.

Who: the unit's leaders, committee or administrators submit (a grant on the unit or above); the
level above decides (a grant on the parent unit or above). A unit never accepts its own report.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Role, User
from gandan.reports import periods
from gandan.reports.models import PeriodReport, ReportStatus

SUBMIT_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.UNIT_ADMIN})
DECIDE_ROLES = frozenset({Role.LEADER, Role.COMMITTEE})
FIELDS = ["unit_id", "period", "number", "status", "submitted_at", "decided_at", "return_reason"]


def _snapshot(report: PeriodReport) -> dict:
    return {name: str(getattr(report, name)) for name in FIELDS}


def may_submit(user: scoping.AnyUser, unit: AdminUnit) -> bool:
    return scoping.has_role(user, SUBMIT_ROLES, unit)


def may_decide(user: scoping.AnyUser, unit: AdminUnit) -> bool:
    """A grant on the level above (the parent unit, or higher): never the unit itself alone."""
    parent = unit.parent
    return parent is not None and scoping.has_role(user, DECIDE_ROLES, parent)


def report_submit(*, actor: User, unit: AdminUnit, period: str, file: UploadedFile | None = None) -> PeriodReport:
    """Submit (or resubmit after a return) the unit's report for the period; numbered in its year."""
    try:
        key = periods.parse(period).key
    except ValueError:
        raise ValidationError(_("Kỳ báo cáo không hợp lệ: %(text)s") % {"text": period}) from None
    if not may_submit(actor, unit):
        raise PermissionDenied(_("Bạn không được gửi báo cáo của đơn vị này."))
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().filter(unit=unit, period=key).first()
        before = _snapshot(report) if report else None
        if report is None:
            year = key[:4]
            last = (PeriodReport.objects.filter(unit=unit, period__startswith=year).aggregate(n=Max("number"))["n"]
                    or 0)
            assert unit.province_id is not None  # a saved unit has its province
            report = PeriodReport(province_id=unit.province_id, unit=unit, period=key, number=last + 1)
        elif report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            raise ValidationError(_("Báo cáo kỳ %(period)s đã gửi; chỉ gửi lại khi cấp trên trả lại.")
                                  % {"period": key})
        if file is not None:
            report.file = file
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = report.submitted_at or timezone.now()
        report.submitted_by = actor
        report.return_reason = ""
        report.save()
        audit.record(actor=actor, action="report.submit", obj=report, before=before, after=_snapshot(report))
    return report


def _decide(actor: User, report: PeriodReport, action: str, status: str, allowed: tuple[str, ...],
            reason: str = "") -> PeriodReport:
    if not may_decide(actor, report.unit):
        raise PermissionDenied(_("Chỉ cấp trên của đơn vị mới tiếp nhận, trả lại hoặc mở lại báo cáo."))
    with transaction.atomic():
        locked = PeriodReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in allowed:
            raise ValidationError(_("Báo cáo đang ở trạng thái “%(status)s”: không làm được việc này.")
                                  % {"status": locked.get_status_display()})
        before = _snapshot(locked)
        locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
        locked.return_reason = reason
        locked.save()
        audit.record(actor=actor, action=action, obj=locked, before=before, after=_snapshot(locked))
    return locked


def report_accept(*, actor: User, report: PeriodReport) -> PeriodReport:
    return _decide(actor, report, "report.accept", ReportStatus.ACCEPTED, (ReportStatus.SUBMITTED,))


def report_return(*, actor: User, report: PeriodReport, reason: str) -> PeriodReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại báo cáo.")})
    return _decide(actor, report, "report.return", ReportStatus.RETURNED, (ReportStatus.SUBMITTED,), reason)


def report_reopen(*, actor: User, report: PeriodReport, reason: str = "") -> PeriodReport:
    """Unlock an accepted report so that the unit can correct and resubmit it."""
    return _decide(actor, report, "report.reopen", ReportStatus.RETURNED, (ReportStatus.ACCEPTED,),
                   (reason or "").strip() or _("Cấp trên mở lại để sửa"))
