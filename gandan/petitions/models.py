"""Citizens' concerns (phản ánh, kiến nghị): the concern, each holder's stint, every step, answers,
ratings, attachments and notifications; and each province's configuration (fields, working
time, holidays, deadline rules). The life cycle is the table in states.py.

Citizen contact (name, phone, household) is personal data: shown only to the handlers in scope
(queries.sees_contact), never on public pages or in Open311 answers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.core.models import ApiKey, TimeStamped
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household
from gandan.people.models import Cadre
from gandan.petitions import states


class Status(models.TextChoices):
    RECEIVED = states.RECEIVED, _("Mới tiếp nhận")
    ACCEPTED = states.ACCEPTED, _("Đã nhận xử lý")
    HANDLING = states.HANDLING, _("Đang giải quyết")
    ESCALATED = states.ESCALATED, _("Đã chuyển cấp trên")
    TRANSFERRED = states.TRANSFERRED, _("Đã chuyển cơ quan có thẩm quyền")
    ANSWERED = states.ANSWERED, _("Đã trả lời")
    CLOSED = states.CLOSED, _("Đã hoàn thành")
    REOPENED = states.REOPENED, _("Mở lại")
    ROUTED_OUT = states.ROUTED_OUT, _("Chuyển xử lý theo pháp luật khiếu nại, tố cáo")
    MERGED = states.MERGED, _("Đã gộp vào phản ánh khác")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    URGENT = "urgent", _("Khẩn cấp")
    COMPLEX = "complex", _("Phức tạp")


class Channel(models.TextChoices):
    VISIT = "visit", _("Đi cơ sở")
    OFFICE = "office", _("Tại trụ sở")
    PUBLIC = "public", _("Cổng công khai")
    OPEN311 = "open311", _("Ứng dụng Open311")


class Kind(models.TextChoices):
    CONCERN = "concern", _("Phản ánh, kiến nghị")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


class Outcome(models.TextChoices):
    """How a holder's stint ended."""

    ANSWERED = "answered", _("Đã trả lời")
    ESCALATED = "escalated", _("Chuyển cấp trên")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    OVERDUE = "overdue", _("Quá hạn, tự động chuyển cấp trên")
    MERGED = "merged", _("Gộp vào phản ánh khác")
    ROUTED_OUT = "routed_out", _("Chuyển theo pháp luật khiếu nại, tố cáo")


# A stint that ended in one of these was dealt with by its holder (answered or properly passed on).
RESOLVED_OUTCOMES = (Outcome.ANSWERED, Outcome.ESCALATED, Outcome.TRANSFERRED, Outcome.MERGED, Outcome.ROUTED_OUT)


# -- configuration per province --------------------------------------------------------------------
class PetitionField(models.Model):
    """A field of concerns (lĩnh vực) offered in a province; the Open311 service list. When a province
    has none, the default set (gandan.org.models.Field) applies."""

    province = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="petition_field_unique")]

    def __str__(self) -> str:
        return self.name_vi


class WorkingTime(models.Model):
    """A province's office hours (two periods a day) and working weekdays (0 = Monday)."""

    province = models.OneToOneField(AdminUnit, on_delete=models.CASCADE, related_name="+")
    morning_start = models.TimeField(default=dt.time(7, 30))
    morning_end = models.TimeField(default=dt.time(11, 30))
    afternoon_start = models.TimeField(default=dt.time(13, 30))
    afternoon_end = models.TimeField(default=dt.time(17, 0))
    weekdays = models.JSONField(default=list, help_text="0 = Monday … 6 = Sunday")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.morning_start:%H:%M}–{self.afternoon_end:%H:%M}"


class HolidayQuerySet(models.QuerySet):
    def nationwide(self) -> HolidayQuerySet:
        return self.filter(province__isnull=True)

    def applying_to(self, province: AdminUnit | None) -> HolidayQuerySet:
        """The nationwide rows, then the province's own (which beat them): the order they apply in."""
        if province is None:
            return self.nationwide().order_by("date")
        return self.filter(Q(province__isnull=True) | Q(province=province)).order_by(
            models.F("province").asc(nulls_first=True), "date")


class Holiday(models.Model):
    """A correction of the public holidays (public_holidays.py): a day off, or (working_day) a day
    worked — a make-up Saturday, or a public holiday cancelled. Without a province it holds
    nationwide (an official announcement the package does not know yet); a province's own row on
    the same date beats it."""

    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    name = models.CharField(max_length=200)
    working_day = models.BooleanField(default=False)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["province", "date"], name="petition_holiday_unique"),
            models.UniqueConstraint(fields=["date"], condition=Q(province__isnull=True),
                                    name="petition_holiday_nationwide_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class DeadlineRule(models.Model):
    """A province's rule: stage (accept/resolve) takes `amount` working hours or days, for a field,
    urgency and level (blank = any)."""

    class Stage(models.TextChoices):
        ACCEPT = "accept", _("Tiếp nhận")
        RESOLVE = "resolve", _("Giải quyết")

    class Unit(models.TextChoices):
        HOURS = "hours", _("giờ làm việc")
        DAYS = "days", _("ngày làm việc")

    province = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    field = models.CharField(max_length=40, blank=True)
    urgency = models.CharField(max_length=10, blank=True, choices=Urgency.choices)
    level = models.CharField(max_length=20, blank=True, help_text="unit level code: commune, province…")
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=5, choices=Unit.choices)

    class Meta:
        ordering = ["stage", "field", "urgency", "level"]
        constraints = [models.UniqueConstraint(fields=["province", "stage", "field", "urgency", "level"],
                                               name="petition_rule_unique")]

    def __str__(self) -> str:
        return f"{self.stage} {self.field or '*'}/{self.urgency or '*'}/{self.level or '*'}: {self.amount} {self.unit}"


class DayCounter(models.Model):
    """The last tracking-code number a province gave on a day (locked while a concern is numbered).
    One row per province and day, so that provinces never queue behind each other; rows without a
    province are the nationwide counters of the codes given before (PAKN.YYYYMMDD.NNNN)."""

    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "day"], name="day_counter_unique"),
                       models.UniqueConstraint(fields=["day"], condition=Q(province__isnull=True),
                                               name="day_counter_nationwide_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.day:%Y%m%d}: {self.last}"


# -- the concern -----------------------------------------------------------------------------------
class PetitionQuerySet(models.QuerySet["Petition"]):
    def open(self) -> PetitionQuerySet:
        return self.filter(status__in=states.OPEN)

    def overdue(self, now: dt.datetime) -> PetitionQuerySet:
        """Open concerns past a deadline: not taken up in time, or not answered in time."""
        return self.filter(Q(status__in=states.AWAITING_ACCEPT, accept_due_at__lt=now)
                           | Q(status__in=states.OPEN, due_at__lt=now))

    def held_by_unit(self, unit: AdminUnit) -> PetitionQuerySet:
        """Held by the unit itself (its people's committee), not by a department attached to it."""
        return self.filter(holder_unit=unit).exclude(holder_agency__kind=AgencyKind.DEPARTMENT)

    def held_by_agency(self, agency_id: int) -> PetitionQuerySet:
        return self.filter(holder_agency_id=agency_id)


class Petition(TimeStamped):
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=32, help_text="public tracking code PAKN.YYYYMMDD.NNNN")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="petitions",
                             help_text="where the concern is (village, commune…)")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    anonymous = models.BooleanField(default=False)
    citizen_name = models.CharField(max_length=200, blank=True)
    citizen_phone = models.CharField(max_length=30, blank=True)
    field = models.CharField(max_length=40)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONCERN)
    kind_reason = models.TextField(blank=True, help_text="why it was routed out (complaints, denunciations)")
    text = models.TextField()
    text_folded = models.TextField(editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    source_ref = models.CharField(max_length=64, blank=True, help_text="origin, e.g. a visit's client UUID")
    pin_hash = models.CharField(max_length=128, help_text="the hash of the PIN given to the citizen with the code "
                                "(needed to rate the answer or reopen the concern); the PIN itself is never stored")
    source_key = models.CharField(max_length=64, blank=True, editable=False,
                                  help_text="sha256 of source_ref and text: a retried sync finds its concern")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    holder_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    holder_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      help_text="the unit's people's committee, or a department")
    holder_cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField()
    accept_due_at = models.DateTimeField(help_text="the current holder must take it up by then")
    due_at = models.DateTimeField(help_text="the current holder must answer by then")
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="duplicates")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency: +1 on every step")

    objects = PetitionQuerySet.as_manager()

    # The plain PIN, only on the instance petition_receive (or petition_pin_issue) has just numbered: shown
    # once, on the receipt, and then gone. Everywhere else it is "" (the database keeps `pin_hash`).
    pin: str = ""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="petition_code_unique"),
            models.UniqueConstraint(fields=["province", "channel", "source_key"], name="petition_source_unique",
                                    condition=~Q(source_key="")),
        ]
        indexes = [
            models.Index(fields=["code"], name="petition_code_idx"),
            models.Index(fields=["source_ref"], name="petition_source_idx"),
            models.Index(fields=["holder_unit", "status"], name="petition_holder_unit_idx"),
            models.Index(fields=["holder_agency", "status"], name="petition_holder_agency_idx"),
            models.Index(fields=["holder_cadre", "status"], name="petition_holder_cadre_idx"),
            models.Index(fields=["province", "status", "due_at"], name="petition_due_idx"),
            models.Index(fields=["unit", "received_at"], name="petition_unit_idx"),
            models.Index(fields=["household", "status"], name="petition_household_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return states.is_open(self.status)

    def is_overdue(self, now: dt.datetime) -> bool:
        if self.status in states.AWAITING_ACCEPT and self.accept_due_at < now:
            return True
        return self.status in states.OPEN and self.due_at < now


class PetitionHolding(models.Model):
    """One holder's stint with a concern, from hand-over to hand-off: the unit (and department, and
    cadre) that held it, its deadline and how it ended. Rates and evaluations count these."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="holdings")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    accept_due_at = models.DateTimeField()
    due_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    satisfied = models.BooleanField(null=True, blank=True, help_text="the rating of this holder's answer")
    rated_by = models.CharField(max_length=10, blank=True, choices=[("citizen", _("Người dân tự đánh giá")),
                                                                   ("proxy", _("Cán bộ ghi thay"))],
                                help_text="citizen: on the public page with the PIN; proxy: recorded by a cadre, "
                                          "with evidence (counted apart, see rates.py)")

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["unit", "started_at"], name="holding_unit_idx"),
            models.Index(fields=["agency", "started_at"], name="holding_agency_idx"),
            models.Index(fields=["cadre", "started_at"], name="holding_cadre_idx"),
            models.Index(fields=["province", "started_at"], name="holding_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} @ {self.unit_id}/{self.agency_id} from {self.started_at:%Y-%m-%d}"


ACTION_LABELS = {
    "receive": _("Tiếp nhận"),
    "accept": _("Nhận xử lý"),
    "handle": _("Bắt đầu giải quyết"),
    "escalate": _("Chuyển cấp trên"),
    "auto_escalate": _("Quá hạn, tự động chuyển cấp trên"),
    "transfer": _("Chuyển cơ quan có thẩm quyền"),
    "answer": _("Trả lời"),
    "rate_satisfied": _("Người dân hài lòng"),
    "rate_unsatisfied": _("Người dân chưa hài lòng, mở lại ở cấp trên"),
    "reopen": _("Người dân mở lại: vấn đề tái diễn"),
    "pin_issue": _("Cấp mã xác nhận mới"),
    "route_out": _("Chuyển xử lý theo pháp luật khiếu nại, tố cáo"),
    "merge": _("Gộp vào phản ánh khác"),
    "merge_in": _("Gộp phản ánh trùng vào đây"),
}


class PetitionEvent(models.Model):
    """One step in a concern's life: who, when, from which holder to which, and why. Append-only."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    from_unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class Answer(models.Model):
    """The holder's answer; public on the tracking page (without the author's name)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="answers")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    holding = models.ForeignKey(PetitionHolding, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at", "id"]

    def __str__(self) -> str:
        return f"answer to {self.petition_id}"


class Rating(models.Model):
    """Satisfied or not with an answer: by the citizen on the tracking page (with the PIN), or, for a citizen
    without a phone, recorded by a cadre on their behalf with evidence — a photo of the form the citizen
    signed (an Attachment of the rating), or a call record (when, which number, what was said) — and never
    by the holder who answered (access.may_record_rating). Proxy ratings are shown and counted apart."""

    class Evidence(models.TextChoices):
        FORM = "form", _("Ảnh phiếu đánh giá có chữ ký của người dân")
        CALL = "call", _("Cuộc gọi điện thoại")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="ratings")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="rating")
    satisfied = models.BooleanField()
    comment = models.TextField(blank=True)
    by_citizen = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    rated_at = models.DateTimeField()
    evidence = models.CharField(max_length=10, blank=True, choices=Evidence.choices)
    call_at = models.DateTimeField(null=True, blank=True, help_text="when the citizen was called")
    call_number = models.CharField(max_length=30, blank=True, help_text="the number called (personal data)")
    evidence_note = models.TextField(blank=True, help_text="what the citizen said on the call, or of the form")

    def __str__(self) -> str:
        return f"{'satisfied' if self.satisfied else 'not satisfied'} with {self.answer_id}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    today = dt.date.today()
    return f"petitions/{today:%Y/%m}/{instance.petition_id}/{filename}"


class Attachment(models.Model):
    """A file of the concern (photos, papers) or of an answer (documents). Type- and size-checked on
    upload (see attachments.py); served only through scoped views, never straight from MEDIA_URL."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence_files",
                               help_text="the signed rating form of a proxy rating (personal, like the contact)")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message for a user about a concern (overdue, escalated to them…), shown in their inbox."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Quá hạn")
        ESCALATED = "escalated", _("Được chuyển lên")
        TRANSFERRED = "transferred", _("Được chuyển đến")
        REOPENED = "reopened", _("Mở lại")

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="petition_notifications")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=400)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="petition_notice_idx")]

    def __str__(self) -> str:
        return self.message


class PetitionPolicy(models.Model):
    """A province's rules for citizens: how long after a concern is closed the citizen may still reopen
    it (the problem came back), whatever their rating. No row: the defaults below."""

    REOPEN_DAYS = 30

    province = models.OneToOneField(AdminUnit, on_delete=models.CASCADE, related_name="+")
    reopen_days = models.PositiveSmallIntegerField(default=REOPEN_DAYS)

    def __str__(self) -> str:
        return f"{self.province_id}: reopen within {self.reopen_days} days"


class Open311Client(models.Model):
    """An Open311 client (an app that files concerns in a province): its API key (a core.ApiKey of
    the kind "open311", created by `gandan open311-key create`) and the province it files in."""

    key = models.OneToOneField(ApiKey, on_delete=models.CASCADE, primary_key=True, related_name="open311_client")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.key} — {self.province}"
