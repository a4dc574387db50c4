"""The assigner's writes on a done task: the assessment (accepted, or failed for a major error, which
sends the task back to its owner) and the certification of an objective cause, which exempts one
failure or one delay from its deduction. Only the assigner, or the leader above them once they have
left (access.may_assess). Atomic, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.concurrency import check_version
from gandan.people.models import User
from gandan.plans import access
from gandan.plans.inputs import AssessIn, CauseIn
from gandan.plans.models import Assessment, CauseKind, Delay, ObjectiveCause, Outcome, Task, TaskStatus
from gandan.plans.work_services import check_evidence


def _require_assessor(actor: User | None, task: Task) -> User:
    if actor is None or not access.may_assess(actor, task):
        raise PermissionDenied(_("Chỉ người giao việc (hoặc lãnh đạo cấp trên khi người giao việc đã chuyển "
                                 "công tác) được đánh giá nhiệm vụ này."))
    return actor


def task_assess(*, actor: User | None, task: Task, data: AssessIn) -> Assessment:
    """Accept the done task, or fail it for a major error (with a note): a failure is counted and the
    task goes back to its owner, open again."""
    assessor = _require_assessor(actor, task)
    errors: dict[str, list[str]] = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = [_("Kết quả đánh giá là đạt hoặc không đạt.")]
    note = data.note.strip()
    if data.outcome == Outcome.FAILED and not note:
        errors["note"] = [_("Hãy ghi sai sót lớn khiến nhiệm vụ không đạt.")]
    if task.status != TaskStatus.DONE:
        errors["status"] = [_("Chỉ đánh giá nhiệm vụ đã được báo hoàn thành.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.DONE:
            raise ValidationError({"status": [_("Chỉ đánh giá nhiệm vụ đã được báo hoàn thành.")]})
        assessment = Assessment.objects.create(province_id=locked.province_id, task=locked, owner_id=locked.owner_id,
                                               outcome=data.outcome, note=note, assessed_by=assessor,
                                               assessed_on=timezone.localdate())
        before = audit.snapshot(locked, ["status"])
        locked.status = TaskStatus.ACCEPTED if data.outcome == Outcome.ACCEPTED else TaskStatus.OPEN
        check_version(locked, None)
        locked.save(update_fields=["status", "version", "updated_at"])
        audit.record(actor=actor, action=f"task.assess.{data.outcome}", obj=locked, before=before,
                     after={**audit.snapshot(locked, ["status"]), "assessment": assessment.pk, "note": note})
    task.refresh_from_db()
    return assessment


def cause_certify(*, actor: User | None, task: Task, data: CauseIn,
                  evidence: UploadedFile | None = None) -> ObjectiveCause:
    """Certify an objective cause for one delay or one failed assessment of the task: its deduction is
    exempted, and the cause shows wherever the deduction would have."""
    certifier = _require_assessor(actor, task)
    errors: dict[str, list[str]] = {}
    if data.kind not in CauseKind.values:
        errors["kind"] = [_("Hãy chọn loại nguyên nhân khách quan.")]
    if not data.reason.strip():
        errors["reason"] = [_("Hãy ghi lý do xác nhận nguyên nhân khách quan.")]
    link = data.evidence_link.strip()
    check_evidence(evidence, link, errors)
    if evidence is None and not link:
        errors["evidence"] = [_("Cần minh chứng (tệp hoặc đường dẫn) cho nguyên nhân khách quan.")]
    if (data.delay_id is None) == (data.assessment_id is None):
        errors["delay_id"] = [_("Hãy chọn đúng một lần chậm hạn hoặc một lần đánh giá không đạt.")]
    delay = Delay.objects.filter(pk=data.delay_id, task=task).first() if data.delay_id else None
    failed = Assessment.objects.filter(pk=data.assessment_id, task=task, outcome=Outcome.FAILED).first() \
        if data.assessment_id else None
    if data.delay_id and delay is None:
        errors["delay_id"] = [_("Nhiệm vụ này không có lần chậm hạn đó.")]
    if data.assessment_id and failed is None:
        errors["assessment_id"] = [_("Nhiệm vụ này không có lần đánh giá không đạt đó.")]
    target = delay or failed
    if target is not None and ObjectiveCause.objects.filter(delay=delay, assessment=failed).exists():
        errors["delay_id" if delay else "assessment_id"] = [_("Đã xác nhận nguyên nhân khách quan cho mục này.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cause = ObjectiveCause(province_id=task.province_id, task=task, delay=delay, assessment=failed,
                               kind=data.kind, reason=data.reason.strip(), evidence_link=link, certified_by=certifier)
        if evidence is not None:
            cause.evidence.save(evidence.name or "minh-chung", evidence, save=False)
        cause.save()
        audit.record(actor=actor, action="task.cause", obj=task,
                     after=audit.snapshot(cause, ["delay_id", "assessment_id", "kind", "reason", "evidence_link"]))
    return cause
