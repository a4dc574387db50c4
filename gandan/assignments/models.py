"""Who follows which unit: the rules of a province and the assignments of named cadres.

An `Assignment` says that cadre C follows one target — an administrative unit or a household —
from `start` until `end` (the first day it no longer applies; null = open), as the primary or a
supporting follower. Assignments are never deleted: closing one sets `end`, so history remains.
A target has at most one primary follower on any day; services check it under a row lock, and
a partial unique index on open primaries backs it up in the database.

`area` is the unit where the target lies (the unit itself, or the household's village): it
scopes an assignment with one indexed join, like every other record (DESIGN §3).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.core.models import TimeStamped
from gandan.org.models import AdminUnit, Household
from gandan.people.models import Cadre


class FollowerRole(models.TextChoices):
    PRIMARY = "primary", _("Phụ trách chính")
    SUPPORTING = "supporting", _("Hỗ trợ")


class AgencyLevel(models.TextChoices):
    """The level of the unit a cadre's agency belongs to."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 1/7/2025)")
    COMMUNE = "commune", _("Cấp xã")


class TargetLevel(models.TextChoices):
    """What is followed: a unit of a level, or a household."""

    DISTRICT = "district", _("Huyện (trước 1/7/2025)")
    COMMUNE = "commune", _("Xã, phường")
    VILLAGE = "village", _("Thôn, bản, tổ dân phố")
    HOUSEHOLD = "household", _("Hộ gia đình")


class AssignmentRule(TimeStamped):
    """In this province, cadres of agencies at `agency_level` may follow targets at `target_level`."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency_level = models.CharField(max_length=20, choices=AgencyLevel.choices)
    target_level = models.CharField(max_length=20, choices=TargetLevel.choices)
    primary_allowed = models.BooleanField(default=True)
    supporting_allowed = models.BooleanField(default=True)
    load_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="most targets of this level one cadre follows as primary (proposals)")

    class Meta:
        ordering = ["province", "agency_level", "target_level"]
        constraints = [
            models.UniqueConstraint(fields=["province", "agency_level", "target_level"],
                                    name="assignment_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_level} → {self.target_level}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self, on: dt.date | None = None) -> AssignmentQuerySet:
        """In force on `on` (default today): started, and not yet ended."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))

    def open(self) -> AssignmentQuerySet:
        return self.filter(end__isnull=True)

    def primary(self) -> AssignmentQuerySet:
        return self.filter(role=FollowerRole.PRIMARY)

    def of_units(self) -> AssignmentQuerySet:
        return self.filter(unit__isnull=False)

    def of_households(self) -> AssignmentQuerySet:
        return self.filter(household__isnull=False)


class Assignment(TimeStamped):
    """Cadre C follows one unit or one household from `start` until `end` (exclusive; null = open)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="assignments")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="assignments")
    area = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+",
                             help_text="the unit itself, or the household's village (for scoping)")
    role = models.CharField(max_length=20, choices=FollowerRole.choices, default=FollowerRole.PRIMARY)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="first day it no longer applies; empty = open")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, household__isnull=True)
                           | Q(unit__isnull=True, household__isnull=False)),
                name="assignment_one_target"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="assignment_end_after_start"),
            models.UniqueConstraint(fields=["province", "unit"],
                                    condition=Q(role="primary", end__isnull=True, unit__isnull=False),
                                    name="assignment_one_open_primary_unit"),
            models.UniqueConstraint(fields=["province", "household"],
                                    condition=Q(role="primary", end__isnull=True, household__isnull=False),
                                    name="assignment_one_open_primary_household"),
        ]
        indexes = [
            models.Index(fields=["cadre", "end"], name="assignment_cadre_idx"),
            models.Index(fields=["unit", "role", "end"], name="assignment_unit_idx"),
            models.Index(fields=["household", "role", "end"], name="assignment_household_idx"),
            models.Index(fields=["area", "end"], name="assignment_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} → {self.target_label} ({self.role})"

    @property
    def target(self) -> AdminUnit | Household:
        return self.unit if self.unit_id else self.household  # type: ignore[return-value]  # a unit or a household, by constraint

    @property
    def target_label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return f"{self.household.code} — {self.household.head_name}"  # type: ignore[union-attr]  # no unit: a household

    def is_active(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end > on)
