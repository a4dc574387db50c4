"""Personal plans and tasks: one owner per task, whoever assigns it assesses it (DESIGN §2, issue 11).

A `Plan` is a cadre's month or quarter. A `Task` sits in its owner's plan and has exactly one owner:
`Task.owner` is one non-null column, so a second owner cannot be stored. Who held a task when is the
`TaskShare` history: one row per stint, at most one of them open per task (a partial unique index),
so that a reassignment closes the old owner's share and opens the new one, and the figures can split
a period between them (figures.py). A task carries its weight in converted work products: the norm
weight of a `CatalogueItem`, copied when the task is made, or a weight agreed with the assigner.

What the evaluation scores is recorded as rows, never as counters: each `Assessment` (accepted, or
failed for a major error), each `Delay` (a due date missed, once per due date), and each
`ObjectiveCause` certified by the assigner, which exempts one failure or one delay from its deduction.

A task links to what it serves through one nullable foreign key per kind of thing: a unit followed,
a concern held, a campaign, a meeting.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _

from gandan.campaigns.models import Campaign
from gandan.core.storage import dated_path
from gandan.fieldwork.models import Meeting
from gandan.org.models import AdminUnit, Agency
from gandan.people.models import Cadre
from gandan.petitions.models import Petition

POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Group(models.TextChoices):
    """The groups of a task catalogue (Khánh Hòa, Đà Nẵng, Hà Tĩnh)."""

    A = "A", _("Nhóm A — lãnh đạo, chỉ đạo, điều hành")
    B = "B", _("Nhóm B — chuyên môn dùng chung")
    C = "C", _("Nhóm C — đặc thù của cơ quan (thủ trưởng phê duyệt)")
    D = "D", _("Nhóm D — nhiệm vụ khác")


class UsableBy(models.TextChoices):
    EVERYONE = "everyone", _("Mọi cán bộ")
    LEADERS = "leaders", _("Lãnh đạo")
    STAFF = "staff", _("Cán bộ, công chức không giữ chức vụ lãnh đạo")


class CatalogueItemQuerySet(models.QuerySet["CatalogueItem"]):
    def current(self, on: dt.date | None = None) -> CatalogueItemQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class CatalogueItem(models.Model):
    """A standard task of an agency's catalogue with its norm weight, valid from a date until the next
    version of the same code (`valid_to`, exclusive)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="task_catalogue")
    code = models.CharField(max_length=40)
    group = models.CharField(max_length=1, choices=Group.choices)
    name = models.CharField(max_length=300)
    product_unit = models.CharField(max_length=80, help_text="unit of product: văn bản, cuộc, hồ sơ…")
    weight = models.DecimalField(max_digits=7, decimal_places=2, validators=POSITIVE,
                                 help_text="norm weight in converted products per unit")
    usable_by = models.CharField(max_length=20, choices=UsableBy.choices, default=UsableBy.EVERYONE)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="first day it no longer applies")

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        ordering = ["group", "code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["agency", "code", "valid_from"],
                                               name="catalogue_version_unique"),
                       models.CheckConstraint(condition=Q(weight__gt=0), name="catalogue_weight_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlanSetting(models.Model):
    """What an agency turns on for its plans: the daily work log."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, primary_key=True, related_name="plan_setting")
    work_log = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.agency_id}: work log {'on' if self.work_log else 'off'}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại để sửa")


class Plan(models.Model):
    """A cadre's plan for a month or a quarter (`starts_on` … `ends_on`, both included)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+",
                             help_text="the cadre's unit, for scoped queries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plans")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    return_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["cadre", "period", "starts_on"], name="plan_period_unique"),
                       models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_dates")]
        indexes = [models.Index(fields=["agency", "starts_on"], name="plan_agency_idx")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.period} {self.starts_on:%m/%Y}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang làm")
    DONE = "done", _("Đã xong, chờ đánh giá")
    ACCEPTED = "accepted", _("Đạt yêu cầu")


class TargetKind(models.TextChoices):
    QUANTITY = "quantity", _("Số lượng")
    DONE = "done", _("Hoàn thành / chưa hoàn thành")


class TaskQuerySet(models.QuerySet["Task"]):
    def unfinished(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.OPEN)

    def overdue(self, today: dt.date) -> TaskQuerySet:
        return self.unfinished().filter(due_on__lt=today)

    def due_between(self, start: dt.date, end: dt.date) -> TaskQuerySet:
        return self.unfinished().filter(due_on__gte=start, due_on__lte=end)

    def awaiting_assessment(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.DONE)


class Task(models.Model):
    """One task with exactly one owner (the cadre of its plan), a weight, a target and a due date."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.UUIDField(default=uuid_lib.uuid4, help_text="made by the client; a retry reuses it")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    owner = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="tasks",
                              help_text="the one person responsible (một việc một đầu mối)")
    assigner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assigned_tasks",
                                 help_text="who assigned it and assesses it; for a task the owner drafted, the "
                                           "leader who approves the plan")
    title = models.CharField(max_length=300)
    catalogue_item = models.ForeignKey(CatalogueItem, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="tasks")
    weight = models.DecimalField(max_digits=7, decimal_places=2, validators=POSITIVE,
                                 help_text="converted products: the item's norm or the agreed weight")
    target_kind = models.CharField(max_length=10, choices=TargetKind.choices, default=TargetKind.DONE)
    target_quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField(max_length=80, blank=True)
    starts_on = models.DateField(help_text="the day the task was given (its span starts there)")
    due_on = models.DateField()
    unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="the unit followed that it serves")
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="the concern held that it serves")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="the meeting it serves")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="the campaign it serves")
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    progress_quantity = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    done_on = models.DateField(null=True, blank=True, help_text="the day it was last marked done")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency: +1 on every change "
                                                                "(core/concurrency.py)")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "client_uuid"], name="task_uuid_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="task_weight_positive"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="task_dates"),
            models.CheckConstraint(condition=Q(target_kind="done") | Q(target_quantity__gt=0),
                                   name="task_quantity_target"),
            models.CheckConstraint(condition=Q(status="open") | Q(done_on__isnull=False), name="task_done_dated"),
        ]
        indexes = [models.Index(fields=["owner", "due_on"], name="task_owner_due_idx"),
                   models.Index(fields=["assigner", "status"], name="task_assigner_idx"),
                   models.Index(fields=["province", "due_on"], name="task_province_due_idx")]

    def __str__(self) -> str:
        return self.title


class TaskShare(models.Model):
    """One owner's stint on a task, [started_on, ended_on): the figures split a period along these."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="shares")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="task_shares")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="the day another owner took over")
    reason = models.CharField(max_length=300, blank=True, help_text="why the previous owner's share ended")

    class Meta:
        ordering = ["task_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(ended_on__isnull=True), name="task_one_open_share"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="task_share_dates"),
        ]
        indexes = [models.Index(fields=["cadre", "task"], name="task_share_cadre_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.cadre_id} {self.started_on}–{self.ended_on or ''}"


def evidence_path(instance: models.Model, filename: str) -> str:
    """plans/<province>/<yyyy>/<mm>/<uuid>.<ext>: never the uploader's file name."""
    return dated_path("plans", getattr(instance, "province_id", 0), uuid_lib.uuid4().hex, filename)


class ProgressReport(models.Model):
    """The owner's report: quantity so far, a note, evidence (a file or a link)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    client_uuid = models.UUIDField(default=uuid_lib.uuid4)
    quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    marks_done = models.BooleanField(default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["province", "client_uuid"], name="report_uuid_unique")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_at:%d/%m/%Y}"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đạt yêu cầu")
    FAILED = "failed", _("Không đạt (sai sót lớn)")


class Assessment(models.Model):
    """The assigner's verdict on a done task; a failed one sends the task back to its owner."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assessments")
    owner = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+", help_text="the owner at the time")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(outcome="accepted") | ~Q(note=""),
                                              name="assessment_failure_has_note")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.outcome}"


class Delay(models.Model):
    """A due date missed: the task was done `days_late` days after `due_on` (once per due date)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="delays")
    owner = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+", help_text="the owner at the time")
    due_on = models.DateField()
    done_on = models.DateField()
    days_late = models.PositiveIntegerField()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "due_on"], name="delay_once_per_due_date"),
                       models.CheckConstraint(condition=Q(days_late__gt=0), name="delay_positive")]

    def __str__(self) -> str:
        return f"{self.task_id} +{self.days_late}d"


class CauseKind(models.TextChoices):
    LEAVE = "leave", _("Nghỉ phép, nghỉ ốm theo chế độ")
    WEATHER = "weather", _("Thời tiết, thiên tai")
    DECISION = "decision", _("Quyết định, chỉ đạo của cấp trên")
    OTHER = "other", _("Lý do khác")


class ObjectiveCause(models.Model):
    """An objective cause certified by the assigner: it exempts one failure or one delay from its deduction."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="causes")
    delay = models.OneToOneField(Delay, null=True, blank=True, on_delete=models.CASCADE, related_name="cause")
    assessment = models.OneToOneField(Assessment, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="cause")
    kind = models.CharField(max_length=10, choices=CauseKind.choices)
    reason = models.TextField()
    evidence = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    certified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(Q(delay__isnull=False) & Q(assessment__isnull=True))
            | (Q(delay__isnull=True) & Q(assessment__isnull=False)), name="cause_exempts_one_thing")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class WorkLogEntry(models.Model):
    """A line of a cadre's daily work log, against a task or not (agencies that keep one); the bounds of a
    day are in worklog.py."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="work_log")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_log")
    client_uuid = models.UUIDField(null=True, blank=True, help_text="made by the client; a retry reuses it")
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    note = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="worklog_hours"),
                       models.UniqueConstraint(fields=["province", "client_uuid"], name="worklog_uuid_unique")]
        indexes = [models.Index(fields=["cadre", "date"], name="worklog_cadre_date_idx")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.date}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    AWAITING = "awaiting", _("Chờ đánh giá")
    HANDED_OVER = "handed_over", _("Chờ đánh giá thay người giao việc")
    PLAN_SUBMITTED = "plan_submitted", _("Kế hoạch chờ duyệt")


# What each reminder says, with its `params`: translated when it is read, in the reader's language.
REMINDER_TEXTS = {
    ReminderKind.DUE_SOON: gettext_noop("Nhiệm vụ “%(title)s” đến hạn ngày %(due)s."),
    ReminderKind.OVERDUE: gettext_noop("Nhiệm vụ “%(title)s” đã quá hạn từ ngày %(due)s."),
    ReminderKind.AWAITING: gettext_noop("Nhiệm vụ “%(title)s” đã xong, đang chờ bạn đánh giá."),
    ReminderKind.HANDED_OVER: gettext_noop(
        "Người giao việc đã chuyển công tác: nhiệm vụ “%(title)s” chờ bạn đánh giá."),
    ReminderKind.PLAN_SUBMITTED: gettext_noop("Kế hoạch của %(name)s chờ duyệt."),
}


def reminder_text(kind: str, params: dict[str, str]) -> str:
    """The reminder's sentence in the active language."""
    return (gettext(REMINDER_TEXTS[ReminderKind(kind)]) % params)[:400]


class Reminder(models.Model):
    """An in-app notice about a task or a plan (e-mailed too where mail is configured: reminders.py); at
    most one a day per recipient, subject and kind. `message` keeps the sentence in Vietnamese (the
    source language); `text` says it in the reader's language, from `kind` and `params`."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reminders")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    day = models.DateField()
    message = models.CharField(max_length=400)
    params = models.JSONField(default=dict, blank=True, help_text="the values the sentence of its kind names")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "task", "kind", "day"], condition=Q(task__isnull=False),
                                    name="task_reminder_once_a_day"),
            models.UniqueConstraint(fields=["recipient", "plan", "kind", "day"], condition=Q(plan__isnull=False),
                                    name="plan_reminder_once_a_day"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="plan_reminder_unread_idx")]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        return reminder_text(self.kind, self.params) if self.params else self.message

    @classmethod
    def of(cls, *, kind: str, params: dict[str, str], **fields: object) -> Reminder:
        """A reminder of `kind` whose message is its sentence in Vietnamese."""
        with override(settings.LANGUAGE_CODE):
            message = reminder_text(kind, params)
        return cls(kind=kind, params=params, message=message, **fields)


class ReminderPreference(models.Model):
    """The language a user last read their plans in: their reminders are e-mailed in it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="plan_reminder_preference")
    language = models.CharField(max_length=10)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
