"""The owner's writes on a task: progress reports (idempotent by client UUID), marking it done (a due
date missed becomes a `Delay`), and the daily work log (bounded per day: worklog.py). Atomic, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.concurrency import check_version
from gandan.org.models import Agency
from gandan.people import scoping
from gandan.people.models import Cadre, Role, User
from gandan.plans import access, worklog
from gandan.plans.inputs import ProgressIn, WorkLogIn
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
        check_version(locked, None)
        locked.save(update_fields=["progress_quantity", "status", "done_on", "version", "updated_at"])
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


def work_log_add(*, actor: User, data: WorkLogIn, task: Task | None = None) -> tuple[WorkLogEntry, bool]:
    """A line of the actor's daily work log (agencies that keep one), against one of their own tasks or not.
    A day holds at most worklog.DAY_MAX_HOURS, for today or the week before. A retry of the same client
    UUID returns the stored line and writes nothing (hours are not declared twice)."""
    cadre = actor.cadre if actor.cadre_id else None
    if cadre is None or not work_log_enabled(cadre.agency_id):
        raise PermissionDenied(_("Cơ quan của bạn không dùng nhật ký công việc."))
    if data.client_uuid is not None:
        existing = WorkLogEntry.objects.filter(province_id=cadre.province_id, client_uuid=data.client_uuid).first()
        if existing is not None:
            if existing.cadre_id != cadre.pk:
                raise ValidationError({"client_uuid": _("Mã đồng bộ (UUID) này đã dùng cho một dòng nhật ký khác.")})
            return existing, False
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if task is not None and task.owner_id != cadre.pk:
        errors["task_id"] = [_("Chỉ ghi nhật ký cho nhiệm vụ của chính bạn.")]
    if not worklog.may_log_on(day=data.date, today=today):
        errors["date"] = [_("Chỉ ghi nhật ký cho hôm nay hoặc %(n)s ngày trước đó.") % {"n": worklog.LATE_DAYS}]
    note = data.note.strip()
    if not note:
        errors["note"] = [_("Hãy ghi việc đã làm.")]
    with transaction.atomic():
        Cadre.objects.select_for_update().filter(pk=cadre.pk).first()  # one cadre's lines are added one at a time
        logged = WorkLogEntry.objects.filter(cadre=cadre, date=data.date).aggregate(
            total=Sum("hours"))["total"] or Decimal(0)
        if not worklog.fits_the_day(logged=logged, adding=data.hours):
            errors["hours"] = [_("Một ngày ghi không quá %(max)s giờ; ngày %(day)s đã ghi %(logged)s giờ, còn "
                                 "ghi được %(left)s giờ.") % {
                "max": _hours(worklog.DAY_MAX_HOURS), "day": f"{data.date:%d/%m/%Y}",
                "logged": _hours(logged), "left": _hours(worklog.room_left(logged))}]
        if errors:
            raise ValidationError(errors)
        entry = WorkLogEntry.objects.create(province_id=cadre.province_id, cadre=cadre, task=task, date=data.date,
                                            hours=data.hours, note=note[:500], client_uuid=data.client_uuid)
        audit.record(actor=actor, action="plans.work_log", obj=entry, after=audit.snapshot(entry))
    return entry, True


def _hours(value: Decimal) -> str:
    """12 or 11,5 (by locale): hours with their one decimal only when there is one."""
    return number_format(value, decimal_pos=0 if value == value.to_integral_value() else 1)


def may_set_work_log(user: User, agency: Agency) -> bool:
    return scoping.has_role(user, {Role.LEADER, Role.UNIT_ADMIN}, agency.unit)


def work_log_setting(*, actor: User | None, agency_id: int, enabled: bool) -> PlanSetting:
    """Turn the daily work log on or off for an agency (its leaders and unit administrators)."""
    agency = Agency.objects.select_related("unit").get(pk=agency_id)
    if actor is not None and not may_set_work_log(actor, agency):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị đơn vị được thay đổi cấu hình này."))
    with transaction.atomic():
        before = {"work_log": work_log_enabled(agency.pk)}
        setting, _created = PlanSetting.objects.update_or_create(agency=agency, defaults={"work_log": enabled})
        audit.record(actor=actor, action="plans.setting", obj=setting, province_id=agency.province_id,
                     before=before, after={"work_log": enabled})
    return setting
