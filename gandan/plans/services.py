"""Writes on plans and tasks: drafting, assigning, the plan's approval, reassignment. Atomic, audited.
The owner's work (progress, done, work log) is in work_services.py; assessments and objective causes
in assess_services.py. Who may do what: access.py.

Adding a task is idempotent by its client UUID (unique per province), as recording a visit is: a
retry with the same UUID returns the stored task and writes nothing; the same UUID for another task
is a `TaskConflict`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.assignments.queries import followed_units
from gandan.campaigns.queries import campaign_get
from gandan.core import audit
from gandan.core.concurrency import check_version
from gandan.fieldwork.queries import meeting_get
from gandan.org.models import AdminUnit
from gandan.org.queries import ended_unit_message
from gandan.people import scoping
from gandan.people.models import Cadre, User
from gandan.people.queries import cadre_get
from gandan.petitions.queries import petition_get
from gandan.plans import access
from gandan.plans.inputs import TaskIn
from gandan.plans.models import (
    CatalogueItem,
    PeriodKind,
    Plan,
    PlanStatus,
    ReminderKind,
    TargetKind,
    Task,
    TaskShare,
    TaskStatus,
    UsableBy,
)
from gandan.plans.periods import period_bounds
from gandan.plans.reminders import remind_once

TASK_FIELDS = ["plan_id", "owner_id", "assigner_id", "title", "catalogue_item_id", "weight", "target_kind",
               "target_quantity", "target_unit", "starts_on", "due_on", "unit_id", "petition_id", "meeting_id",
               "campaign_id", "status", "client_uuid"]
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class TaskConflict(Exception):
    """The client UUID was already used for another task (HTTP 409)."""

    def __init__(self, task: Task) -> None:
        super().__init__(_("Mã đồng bộ (UUID) này đã dùng cho một nhiệm vụ khác; hãy tạo nhiệm vụ mới."))
        self.task = task


# -- plans ---------------------------------------------------------------------------------------------
def plan_ensure(*, actor: User | None, cadre: Cadre, period: str, day: dt.date) -> Plan:
    """The cadre's plan for the month or quarter containing `day`, created as a draft if missing."""
    if period not in PeriodKind.values:
        raise ValidationError({"period": _("Kỳ kế hoạch là tháng hoặc quý.")})
    starts_on, ends_on = period_bounds(period, day)
    plan = Plan.objects.filter(cadre=cadre, period=period, starts_on=starts_on).first()
    if plan is not None:
        return plan
    with transaction.atomic():
        plan = Plan.objects.create(province_id=cadre.province_id, unit_id=cadre.unit_id, agency_id=cadre.agency_id,
                                   cadre=cadre, period=period, starts_on=starts_on, ends_on=ends_on)
        audit.record(actor=actor, action="plan.create", obj=plan, after=audit.snapshot(plan))
    return plan


def _plan_covering(actor: User | None, cadre: Cadre, period: str, due_on: dt.date) -> Plan:
    """For an assigned task: the cadre's plan (of any kind) that covers the due date, else a new one."""
    existing = Plan.objects.filter(cadre=cadre, starts_on__lte=due_on, ends_on__gte=due_on).order_by("period").first()
    return existing or plan_ensure(actor=actor, cadre=cadre, period=period, day=due_on)


def _decide(plan: Plan, actor: User | None) -> None:
    if not access.leads(actor, plan.cadre):
        raise PermissionDenied(_("Chỉ lãnh đạo của cán bộ được duyệt hoặc trả lại kế hoạch này."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError({"status": _("Kế hoạch chưa được gửi duyệt.")})


def plan_submit(*, actor: User | None, plan: Plan) -> Plan:
    if actor is not None and getattr(actor, "cadre_id", None) != plan.cadre_id:
        raise PermissionDenied(_("Chỉ người lập kế hoạch được gửi duyệt."))
    if plan.status not in EDITABLE:
        raise ValidationError({"status": _("Kế hoạch đã gửi duyệt hoặc đã được duyệt.")})
    if not plan.tasks.exists():
        raise ValidationError({"tasks": _("Kế hoạch chưa có nhiệm vụ nào.")})
    with transaction.atomic():
        before = audit.snapshot(plan, ["status"])
        plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
        plan.save(update_fields=["status", "submitted_at"])
        audit.record(actor=actor, action="plan.submit", obj=plan, before=before, after=audit.snapshot(plan, ["status"]))
        _notify_leaders(plan)
    return plan


def _notify_leaders(plan: Plan) -> None:
    """The cadre's direct manager hears that the plan awaits approval (leaders see it in their list too)."""
    manager = plan.cadre.manager
    user = User.objects.filter(cadre=manager, is_active=True).first() if manager else None
    if user is not None:
        remind_once(recipient=user, plan=plan, kind=ReminderKind.PLAN_SUBMITTED, day=timezone.localdate(),
                    params={"name": plan.cadre.full_name}, province_id=plan.province_id)


def plan_approve(*, actor: User | None, plan: Plan) -> Plan:
    """Approve the plan: the approver becomes the assigner (and assessor) of the tasks the cadre drafted."""
    _decide(plan, actor)
    with transaction.atomic():
        before = audit.snapshot(plan, ["status"])
        plan.status, plan.decided_by, plan.decided_at, plan.return_reason = (
            PlanStatus.APPROVED, actor, timezone.now(), "")
        plan.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
        adopted = plan.tasks.filter(assigner__isnull=True).update(assigner=actor)
        audit.record(actor=actor, action="plan.approve", obj=plan, before=before,
                     after={**audit.snapshot(plan, ["status", "decided_by_id"]), "tasks_adopted": adopted})
    return plan


def plan_return(*, actor: User | None, plan: Plan, reason: str) -> Plan:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại kế hoạch.")})
    _decide(plan, actor)
    with transaction.atomic():
        before = audit.snapshot(plan, ["status"])
        plan.status, plan.decided_by, plan.decided_at, plan.return_reason = (
            PlanStatus.RETURNED, actor, timezone.now(), reason[:4000])
        plan.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
        audit.record(actor=actor, action="plan.return", obj=plan, before=before,
                     after=audit.snapshot(plan, ["status", "return_reason"]))
    return plan


# -- tasks ---------------------------------------------------------------------------------------------
def _owner_for(actor: User, cadre_id: int | None) -> tuple[Cadre, bool]:
    """The task's owner, and whether the actor assigns it (a leader) rather than drafts it (the owner)."""
    own_id = getattr(actor, "cadre_id", None)
    if cadre_id is None or cadre_id == own_id:
        if own_id is None:
            raise PermissionDenied(_("Tài khoản của bạn chưa gắn với cán bộ nào, nên chưa có kế hoạch cá nhân."))
        return Cadre.objects.select_related("unit", "agency").get(pk=own_id), False
    cadre = cadre_get(actor, cadre_id)
    if not access.leads(actor, cadre):
        raise PermissionDenied(_("Chỉ lãnh đạo của cán bộ được giao việc cho cán bộ này."))
    return cadre, True


def _catalogue_item(item_id: int, cadre: Cadre, on: dt.date, errors: dict[str, list[str]]) -> CatalogueItem | None:
    item = CatalogueItem.objects.current(on).filter(pk=item_id, agency_id=cadre.agency_id).first()
    if item is None:
        errors["catalogue_item_id"] = [_("Không có nhiệm vụ này trong danh mục hiện hành của cơ quan.")]
        return None
    leader = cadre.reports.exists()
    if (item.usable_by == UsableBy.LEADERS and not leader) or (item.usable_by == UsableBy.STAFF and leader):
        errors["catalogue_item_id"] = [_("Nhiệm vụ “%(name)s” không dành cho vị trí của cán bộ này.") % {
            "name": item.name}]
    return item


def _link(actor: User, owner: Cadre, data: TaskIn, errors: dict[str, list[str]]) -> dict[str, object]:
    """What the task serves, each looked up in the actor's scope (the owner's followed units too)."""
    links: dict[str, object] = {}
    if data.unit_id is not None:
        unit = AdminUnit.objects.select_related("successor").filter(pk=data.unit_id).first()
        if unit is None or not (scoping.covers(actor, unit.path)
                                or followed_units(owner).filter(pk=unit.pk).exists()):
            errors["unit_id"] = [_("Không tìm thấy đơn vị này trong phạm vi của bạn.")]
        elif unit.valid_to is not None and unit.valid_to <= timezone.localdate():
            errors["unit_id"] = [ended_unit_message(unit)]  # an ended unit takes no new work
        links["unit"] = unit
    lookups: tuple[tuple[str, int | None, object], ...] = (
        ("petition", data.petition_id, petition_get), ("meeting", data.meeting_id, meeting_get),
        ("campaign", data.campaign_id, campaign_get))
    for name, pk, get in lookups:
        if pk is None:
            continue
        try:
            links[name] = get(actor, pk)  # type: ignore[operator]  # the scoped getters above
        except Http404:
            errors[f"{name}_id"] = [_("Không tìm thấy mục này trong phạm vi của bạn.")]
    return links


def _validate(actor: User, owner: Cadre, data: TaskIn, plan: Plan, assigning: bool) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = [_("Hãy nhập tên nhiệm vụ.")]
    if data.target_kind not in TargetKind.values:
        errors["target_kind"] = [_("Chỉ tiêu là một số lượng hoặc hoàn thành / chưa hoàn thành.")]
    quantity = data.target_quantity if data.target_kind == TargetKind.QUANTITY else None
    if data.target_kind == TargetKind.QUANTITY and not quantity:
        errors["target_quantity"] = [_("Hãy nhập số lượng cần đạt (lớn hơn 0).")]
    if not plan.starts_on <= data.due_on <= plan.ends_on:
        errors["due_on"] = [_("Hạn hoàn thành phải nằm trong kỳ kế hoạch (%(start)s – %(end)s).") % {
            "start": f"{plan.starts_on:%d/%m/%Y}", "end": f"{plan.ends_on:%d/%m/%Y}"}]
    item = None
    if data.catalogue_item_id is not None:
        item = _catalogue_item(data.catalogue_item_id, owner, plan.starts_on, errors)
    weight: Decimal | None = None
    if item is not None:
        weight = item.weight * (quantity or Decimal(1))
    elif not data.weight:
        errors["weight"] = [_("Nhiệm vụ ngoài danh mục cần trọng số quy đổi thỏa thuận với người giao việc.")]
    else:
        weight = data.weight
    if weight is not None and weight > Decimal("99999.99"):
        errors["weight"] = [_("Trọng số quy đổi quá lớn.")]
    links = _link(actor, owner, data, errors)
    if errors:
        raise ValidationError(errors)
    unit_label = data.target_unit.strip() or (item.product_unit if item else "")
    return {"title": title[:300], "catalogue_item": item, "weight": weight, "target_kind": data.target_kind,
            "target_quantity": quantity, "target_unit": unit_label[:80], **links}


@transaction.atomic  # a refused task leaves no plan behind it either
def task_add(*, actor: User, data: TaskIn) -> tuple[Task, bool]:
    """Add a task to a plan: the owner drafts it in their own plan (draft or returned), or a leader
    assigns it to a cadre (it lands in the cadre's plan with the leader as assigner). Returns the task
    and whether it was created (False: a retry of the same UUID)."""
    owner, assigning = _owner_for(actor, data.cadre_id)
    existing = Task.objects.filter(province_id=owner.province_id, client_uuid=data.client_uuid).first()
    if existing is not None:
        return _replay(existing, owner, data)
    today = timezone.localdate()
    if assigning:
        plan = _plan_covering(actor, owner, data.period, data.due_on)
    else:
        plan = plan_ensure(actor=actor, cadre=owner, period=data.period, day=data.due_on)
        if plan.status not in EDITABLE:
            raise ValidationError({"plan": _("Kế hoạch này đã gửi duyệt hoặc đã duyệt; việc mới do lãnh đạo giao.")})
    fields = _validate(actor, owner, data, plan, assigning)
    starts_on = min(max(today, plan.starts_on), data.due_on)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                province_id=owner.province_id, client_uuid=data.client_uuid, plan=plan, owner=owner,
                assigner=actor if assigning or plan.status == PlanStatus.APPROVED else None,
                starts_on=starts_on, due_on=data.due_on, created_by=actor, **fields)
            TaskShare.objects.create(task=task, cadre=owner, started_on=starts_on)
            audit.record(actor=actor, action="task.assign" if assigning else "task.add", obj=task,
                         after=audit.snapshot(task, TASK_FIELDS))
    except IntegrityError:
        existing = Task.objects.filter(province_id=owner.province_id, client_uuid=data.client_uuid).first()
        if existing is None:
            raise
        return _replay(existing, owner, data)
    return task, True


def _replay(existing: Task, owner: Cadre, data: TaskIn) -> tuple[Task, bool]:
    if existing.owner_id != owner.pk or existing.title != " ".join(data.title.split())[:300] or \
            existing.due_on != data.due_on:
        raise TaskConflict(existing)
    return existing, False


def task_set_weight(*, actor: User, task: Task, weight: Decimal | None, version: int | None = None) -> Task:
    """The assigner (or a leader of the owner, before anyone is) agrees the weight of a task outside the catalogue.
    A stale `version` (someone changed the task since) raises concurrency.Stale."""
    if task.catalogue_item_id is not None:
        raise ValidationError({"weight": _("Trọng số của nhiệm vụ trong danh mục là định mức của danh mục.")})
    if not access.may_set_weight(actor, task):
        raise PermissionDenied(_("Chỉ người giao việc thỏa thuận trọng số của nhiệm vụ."))
    if task.status == TaskStatus.ACCEPTED:
        raise ValidationError({"weight": _("Nhiệm vụ đã được đánh giá đạt: trọng số không đổi được nữa.")})
    if weight is None or not Decimal(0) < weight <= Decimal("99999.99"):
        raise ValidationError({"weight": _("Trọng số quy đổi phải lớn hơn 0 và không quá 99.999,99.")})
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        check_version(locked, version)
        before = audit.snapshot(locked, ["weight"])
        locked.weight = weight
        locked.save(update_fields=["weight", "version", "updated_at"])
        audit.record(actor=actor, action="task.weight", obj=locked, before=before,
                     after=audit.snapshot(locked, ["weight"]))
    return locked


def task_reassign(*, actor: User | None, task: Task, to: Cadre, reason: str, on: dt.date | None = None) -> Task:
    """Give the task to another cadre: the old owner's share closes on `on`, the new one opens; the task
    moves to the new owner's plan for its due date. Never two owners: `Task.owner` is one column and a
    task has at most one open share (a database constraint)."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if not access.leads(actor, task.owner) or not access.leads(actor, to):
        raise PermissionDenied(_("Chỉ lãnh đạo của cả hai cán bộ được giao lại nhiệm vụ."))
    errors: dict[str, list[str]] = {}
    if to.pk == task.owner_id:
        errors["cadre_id"] = [_("Cán bộ này đã là người chịu trách nhiệm nhiệm vụ.")]
    if to.province_id != task.province_id or to.left_on is not None:
        errors["cadre_id"] = [_("Hãy chọn một cán bộ đang công tác trong tỉnh.")]
    if task.status == TaskStatus.ACCEPTED:
        errors["status"] = [_("Nhiệm vụ đã được đánh giá đạt, không giao lại được.")]
    if not reason:
        errors["reason"] = [_("Hãy ghi lý do giao lại.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        before = audit.snapshot(locked, ["owner_id", "plan_id"])
        share = TaskShare.objects.select_for_update().get(task=locked, ended_on__isnull=True)
        on = max(on, share.started_on)
        share.ended_on, share.reason = on, reason[:300]
        share.save(update_fields=["ended_on", "reason"])
        TaskShare.objects.create(task=locked, cadre=to, started_on=on)
        plan = _plan_covering(actor, to, locked.plan.period, locked.due_on)
        locked.owner, locked.plan = to, plan
        check_version(locked, None)
        locked.save(update_fields=["owner", "plan", "version", "updated_at"])
        audit.record(actor=actor, action="task.reassign", obj=locked, before=before,
                     after={**audit.snapshot(locked, ["owner_id", "plan_id"]), "on": on, "reason": reason})
    return locked


# -- receivers -----------------------------------------------------------------------------------------
def hand_over_on_leave(sender: object, *, cadre: Cadre, left_on: dt.date, actor: User | None, **extra: object) -> None:
    """`cadre_left` receiver: tasks the departing cadre assigned and that wait for assessment are now the
    leader above's to assess (access.may_assess); that leader is told."""
    waiting = Task.objects.filter(assigner__cadre=cadre, status=TaskStatus.DONE).select_related("owner__unit")
    manager_user = User.objects.filter(cadre=cadre.manager_id, is_active=True).first() if cadre.manager_id else None
    for task in waiting[:500]:
        if manager_user is not None:
            remind_once(recipient=manager_user, task=task, kind=ReminderKind.HANDED_OVER, day=left_on,
                        params={"title": task.title[:200]}, province_id=task.province_id)
    audit.record(actor=actor, action="plans.assigner_left", obj=cadre,
                 after={"waiting": waiting.count(), "left_on": left_on})

