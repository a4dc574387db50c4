"""Field work: visits to units and households, meetings and their attendance, quotas, month locks.

A `Visit` is written once by its cadre (usually from a phone, often offline) and carries the
client-made `client_uuid` that makes a retried sync idempotent: unique per province (DESIGN §5).
The places visited are link rows (`VisitUnit`, `VisitHousehold`) that repeat the visit's cadre and
date, so "when was this unit last visited, by whom" is one indexed aggregate on the link table.
Findings are a JSON object keyed by checklist topic code. Warning flags are computed at read time
(`flags.py`) from two measures stored at write time: the GPS distance to the nearest visited unit
centre and the delay between the visit and its recording.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandan.core.storage import dated_path
from gandan.org.models import AdminUnit, Household, PartyCell
from gandan.people.models import Cadre, EmploymentType


class VisitKind(models.TextChoices):
    WORKING_VISIT = "working_visit", _("Làm việc tại cơ sở")
    COMMITTEE_MEETING = "committee_meeting", _("Dự họp cấp ủy")
    PARTY_CELL_MEETING = "party_cell_meeting", _("Dự sinh hoạt chi bộ")
    HOUSEHOLD_VISIT = "household_visit", _("Thăm hộ gia đình")
    FIELD_DAY = "field_day", _("Ngày xuống thôn, bản")
    OTHER = "other", _("Khác")


class ChecklistTopic(models.Model):
    """A topic a visit reports on ("tình hình an ninh trật tự"…), configurable per province."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="topic_code_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Topics are data: the name in the active language, Vietnamese when no English is given."""
        return self.name_en if get_language() == "en" and self.name_en else self.name_vi


class VisitQuerySet(models.QuerySet["Visit"]):
    def in_month(self, month: dt.date) -> VisitQuerySet:
        first = month.replace(day=1)
        return self.filter(date__gte=first, date__lt=next_month(first))

    def between(self, start: dt.date | None, end: dt.date | None) -> VisitQuerySet:
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs


class Visit(models.Model):
    """One field visit by one cadre on one day, to one or more units and/or households."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.UUIDField(default=uuid_lib.uuid4, help_text="made by the client; a retry reuses it")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    kind = models.CharField(max_length=30, choices=VisitKind.choices)
    units: models.ManyToManyField[AdminUnit, VisitUnit] = models.ManyToManyField(
        AdminUnit, through="VisitUnit", through_fields=("visit", "unit"), related_name="+")
    households: models.ManyToManyField[Household, VisitHousehold] = models.ManyToManyField(
        Household, through="VisitHousehold", through_fields=("visit", "household"), related_name="+")
    findings = models.JSONField(default=dict, blank=True, help_text="topic code → what was found")
    notes = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    gps_distance_m = models.FloatField(null=True, blank=True,
                                       help_text="distance from the nearest visited unit's centre, at write time")
    delay_days = models.SmallIntegerField(default=0, help_text="days between the visit and its recording")
    recorded_at = models.DateTimeField(default=timezone.now, help_text="server time of the first submission")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    body_hash = models.CharField(max_length=64, help_text="hash of the normalised submitted body (409 check)")
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "client_uuid"], name="visit_uuid_unique")]
        indexes = [
            models.Index(fields=["cadre", "date"], name="visit_cadre_date_idx"),
            models.Index(fields=["province", "date"], name="visit_province_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.date:%d/%m/%Y} {self.kind}"

    @property
    def has_gps(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def gps_distance_km(self) -> float | None:
        return None if self.gps_distance_m is None else round(self.gps_distance_m / 1000, 1)


class VisitUnit(models.Model):
    """A unit visited; repeats the visit's cadre and date for set-based "last visit" queries."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="visit_links")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "unit"], name="visit_unit_unique")]
        indexes = [models.Index(fields=["unit", "date"], name="visitunit_unit_date_idx"),
                   models.Index(fields=["cadre", "unit", "date"], name="visitunit_cadre_idx")]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.unit_id}"


class VisitHousehold(models.Model):
    """A household visited; repeats the visit's cadre and date like `VisitUnit`."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="household_links")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visit_links")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "household"], name="visit_household_unique")]
        indexes = [models.Index(fields=["household", "date"], name="visithh_household_date_idx"),
                   models.Index(fields=["cadre", "household", "date"], name="visithh_cadre_idx")]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.household_id}"


def photo_path(instance: VisitPhoto, filename: str) -> str:
    """visits/<province id>/<yyyy>/<mm>/<visit id>-<hash prefix>.<ext>: never the client's file name."""
    return dated_path("visits", instance.province_id, f"{instance.visit_id}-{instance.sha256[:16]}", filename)


class VisitPhoto(models.Model):
    """A photo taken on a visit; the same picture sent twice (a retried sync) is stored once."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["visit", "sha256"], name="visit_photo_unique")]

    def __str__(self) -> str:
        return self.file.name


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", _("Họp cấp ủy")
    PARTY_CELL = "party_cell", _("Sinh hoạt chi bộ")


class Meeting(models.Model):
    """A committee or party-cell meeting held at a unit; its secretary records the attendance."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    party_cell = models.ForeignKey(PartyCell, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    title = models.CharField(max_length=250, blank=True)
    secretary = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["unit", "date"], name="meeting_unit_date_idx"),
                   models.Index(fields=["province", "date"], name="meeting_province_date_idx")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng không lý do")


class Attendance(models.Model):
    """Whether a cadre attended a meeting. `as_follower` marks cadres who follow the meeting's unit
    (decided when the row is written), whose attendance counts towards their quota."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="attendance")
    date = models.DateField(help_text="the meeting's date, repeated for monthly counts")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    as_follower = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre"], name="attendance_unique")]
        indexes = [models.Index(fields=["cadre", "date"], name="attendance_cadre_date_idx")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.cadre_id} {self.status}"


class Quota(models.Model):
    """What cadres of one level (and optionally one employment type) must do each month, per province."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, help_text="level code of the cadre's unit: province, commune…")
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices, blank=True,
                                       help_text="blank: every employment type")
    field_days_per_month = models.PositiveSmallIntegerField(default=0)
    visits_per_month = models.PositiveSmallIntegerField(default=0)
    meeting_attendance_pct = models.PositiveSmallIntegerField(
        default=0, help_text="share of the followed units' meetings to attend, in percent")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "employment_type"]
        constraints = [models.UniqueConstraint(fields=["province", "level", "employment_type"],
                                               name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.level}/{self.employment_type or '*'}"


class MonthLock(models.Model):
    """A month of a province whose field records are read-only (after its evaluation is concluded)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="first day of the month")
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "month"], name="month_lock_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
