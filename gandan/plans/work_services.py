"""The owner's writes on a task: progress reports (idempotent by client UUID), marking it done (a due
date missed becomes a `Delay`), and the daily work log. Atomic, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.org.models import Agency
from gandan.people import scoping
from gandan.people.models import Role, User
from gandan.plans import access
from gandan.plans.inputs import ProgressIn
from gandan.plans.models import Delay, PlanSetting, ProgressReport, Task, TaskStatus, WorkLogEntry
from gandan.plans.timeliness import timeliness

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png", "webp", "docx", "xlsx", "odt", "ods"}


def _require_owner(actor: User | None, task: Task) -> None:
    if actor is not None and not access.is_owner(actor, task):
        raise PermissionDenied(_("Chỉ người chịu trách nhiệm nhiệm vụ được báo cáo tiến độ."))


def check_evidence(evidence: UploadedFile | None, link: str, errors: dict[str, list[str]]) -> None:
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["evidence_link"] = [_("Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://.")]
    if evidence is not None:
        ext = (evidence.name or "").rsplit(".", 1)[-1].lower()
        if ext not in EVIDENCE_TYPES:
            errors["evidence"] = [_("Tệp minh chứng phải là PDF, ảnh hoặc văn bản Office.")]
        elif (evidence.size or 0) > EVIDENCE_MAX_BYTES:
            errors["evidence"] = [_("Tệp minh chứng tối đa 10 MB.")]


def task_report(*, actor: User | None, task: Task, data: ProgressIn, evidence: UploadedFile | None = None,
                marks_done: bool = False) -> tuple[ProgressReport, bool]:
    """Record the owner's progress (and, with `marks_done`, mark the task done). A retry of the same UUID
    returns the stored report and writes nothing."""
    _require_owner(actor, task)
    existing = ProgressReport.objects.filter(province_id=task.province_id, client_uuid=data.client_uuid).first()
    if existing is not None:
        if existing.task_id != task.pk:
            raise ValidationError({"client_uuid": _("Mã đồng bộ (UUID) này đã dùng cho một báo cáo khác.")})
        return existing, False
    errors: dict[str, list[str]] = {}
    if task.status != TaskStatus.OPEN:
        errors["status"] = [_("Nhiệm vụ đã xong, đang chờ đánh giá hoặc đã được đánh giá.")]
    link = data.evidence_link.strip()
    check_evidence(evidence, link, errors)
    if data.quantity is None and not data.note.strip() and not marks_done and evidence is None and not link:
        errors["note"] = [_("Hãy ghi số lượng đã làm, một ghi chú hoặc minh chứng.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        report = ProgressReport(province_id=task.province_id, task=locked, client_uuid=data.client_uuid,
                                quantity=data.quantity, note=data.note.strip(), evidence_link=link,
                                marks_done=marks_done, reported_by=actor)
        if evidence is not None:
            report.evidence.save(evidence.name or "minh-chung", evidence, save=False)
        report.save()
        before = audit.snapshot(locked, ["progress_quantity", "status", "done_on"])
        if data.quantity is not None:
            locked.progress_quantity = data.quantity
        if marks_done:
            _mark_done(locked, timezone.localdate())
        locked.save(update_fields=["progress_quantity", "status", "done_on", "updated_at"])
        audit.record(actor=actor, action="task.done" if marks_done else "task.progress", obj=locked, before=before,
                     after={**audit.snapshot(locked, ["progress_quantity", "status", "done_on"]), "report": report.pk})
    task.refresh_from_db()
    return report, True


def _mark_done(task: Task, today: dt.date) -> None:
    task.status, task.done_on = TaskStatus.DONE, today
    if task.target_kind == "quantity" and task.target_quantity and task.progress_quantity < task.target_quantity:
        task.progress_quantity = task.target_quantity
    result = timeliness(due_on=task.due_on, done_on=today)
    if not result.on_time:
        Delay.objects.get_or_create(task=task, due_on=task.due_on, defaults={
            "province_id": task.province_id, "owner_id": task.owner_id, "done_on": today,
            "days_late": result.days_late})


def task_mark_done(*, actor: User | None, task: Task, data: ProgressIn,
                   evidence: UploadedFile | None = None) -> tuple[ProgressReport, bool]:
    return task_report(actor=actor, task=task, data=data, evidence=evidence, marks_done=True)


def work_log_enabled(agency_id: int) -> bool:
    return PlanSetting.objects.filter(agency_id=agency_id, work_log=True).exists()


def work_log_add(*, actor: User, date: dt.date, hours: Decimal, note: str, task: Task | None = None) -> WorkLogEntry:
    """A line of the actor's daily work log (agencies that keep one); a day holds at most 24 hours."""
    cadre = actor.cadre
    if cadre is None or not work_log_enabled(cadre.agency_id):
        raise PermissionDenied(_("Cơ quan của bạn không dùng nhật ký công việc."))
    errors: dict[str, list[str]] = {}
    if task is not None and task.owner_id != cadre.pk:
        errors["task"] = [_("Chỉ ghi nhật ký cho nhiệm vụ của chính bạn.")]
    if date > timezone.localdate():
        errors["date"] = [_("Chỉ ghi nhật ký cho ngày đã qua hoặc hôm nay.")]
    logged = WorkLogEntry.objects.filter(cadre=cadre, date=date).aggregate(total=Sum("hours"))["total"] or 0
    if not Decimal(0) < hours <= 24 or logged + hours > 24:
        errors["hours"] = [_("Số giờ trong một ngày không quá 24 (đã ghi %(logged)s giờ).") % {"logged": logged}]
    if not note.strip():
        errors["note"] = [_("Hãy ghi việc đã làm.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = WorkLogEntry.objects.create(province_id=cadre.province_id, cadre=cadre, task=task, date=date,
                                            hours=hours, note=note.strip()[:500])
        audit.record(actor=actor, action="plans.work_log", obj=entry, after=audit.snapshot(entry))
    return entry


def work_log_setting(*, actor: User | None, agency_id: int, enabled: bool) -> PlanSetting:
    """Turn the daily work log on or off for an agency (its leaders and unit administrators)."""
    agency = Agency.objects.select_related("unit").get(pk=agency_id)
    if actor is not None and not scoping.has_role(actor, {Role.LEADER, Role.UNIT_ADMIN}, agency.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị đơn vị được thay đổi cấu hình này."))
    with transaction.atomic():
        setting, _created = PlanSetting.objects.update_or_create(agency=agency, defaults={"work_log": enabled})
        audit.record(actor=actor, action="plans.setting", obj=setting, province_id=agency.province_id,
                     after={"work_log": enabled})
    return setting
