"""Rollups (figures per unit, month and measure) and the periodic reports units send upward.

`Rollup` holds one number per (unit, month, measure): the measure counted over the unit's whole
subtree, so that a dashboard reads a handful of rows and never scans visits or concerns. It is
rebuilt set-based per month (rollup.py); `province_id` keeps it distributable by province.

`PeriodReport` is one unit's report for one period, sent to the level above: draft → submitted →
accepted (locked) or returned with a reason; the level above may reopen an accepted one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gandan.org.models import AdminUnit


class Rollup(models.Model):
    province_id = models.BigIntegerField(db_index=True)
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7, help_text="the month, yyyy-mm")
    measure = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province_id", "unit", "period", "measure"],
                                               name="rollup_unique")]
        indexes = [models.Index(fields=["unit", "period"], name="rollup_unit_period_idx"),
                   models.Index(fields=["province_id", "period"], name="rollup_province_period_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.measure}={self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Trả lại để sửa")


def report_file_path(instance: PeriodReport, filename: str) -> str:
    from gandan.core.storage import dated_path

    return dated_path("reports", instance.province_id, f"{instance.unit_id}-{instance.period}", filename)


class PeriodReport(models.Model):
    """A unit's periodic report for one period (a month yyyy-mm, a quarter yyyy-Qn or a year yyyy)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="period_reports")
    period = models.CharField(max_length=20)
    number = models.PositiveIntegerField(default=0, help_text="the report's number in its unit's year (Số: 05/BC)")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    file = models.FileField(upload_to=report_file_path, max_length=255, blank=True,
                            help_text="the edited document, when the unit attached one")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    return_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["province", "unit", "period"], name="period_report_unique")]
        indexes = [models.Index(fields=["province", "period"], name="period_report_period_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.status}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED


class ReportDeadline(models.Model):
    """How many days after a period ends a province's units have to submit their reports."""

    province = models.OneToOneField(AdminUnit, on_delete=models.CASCADE, related_name="+")
    days_after_period = models.PositiveSmallIntegerField(default=5)

    def __str__(self) -> str:
        return f"{self.province_id}: {self.days_after_period}"
