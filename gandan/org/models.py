"""The administrative tree (levels as data, materialised path, effective dates), households,
agencies and party cells."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandan.core.models import TimeStamped
from gandan.core.paths import PATH_SEP


class UnitLevel(models.Model):
    """A level of the tree: province, district (historical), commune, village. Data, not code."""

    code = models.SlugField(max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True, help_text="0 = top")
    name_vi = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The level's name in the active language (levels are data, so not in the catalogue)."""
        return self.name_en if get_language() == "en" else self.name_vi


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def current(self, on: dt.date | None = None) -> AdminUnitQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )

    def subtree_of(self, unit: AdminUnit) -> AdminUnitQuerySet:
        """The unit and every unit below it (materialised-path prefix, no recursion)."""
        return self.filter(Q(path=unit.path) | Q(path__startswith=unit.path + PATH_SEP))

    def below(self, unit: AdminUnit) -> AdminUnitQuerySet:
        return self.filter(path__startswith=unit.path + PATH_SEP)

    def history_of(self, unit: AdminUnit) -> AdminUnitQuerySet:
        """The units whose records count as `unit`'s own: the unit and its predecessors at any depth
        (not the units below it), without recursion (see `history_q`)."""
        if unit.valid_to is None:
            return self.filter(Q(pk=unit.pk) | Q(heir=unit.pk))
        return self.filter(Q(pk=unit.pk) | Q(path__startswith=unit.path + PATH_SEP + "~"))


class AdminUnit(TimeStamped):
    """A province, district, commune or village, with its official code as given."""

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    division_type = models.CharField(max_length=60, blank=True, help_text="xã, phường, thôn, bản…")
    level = models.ForeignKey(UnitLevel, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="first day it no longer exists")
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="predecessors", help_text="the unit it was merged into")
    heir = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="the current unit its history counts under, at the end of its successors "
                                       "(empty for a current unit)")
    latitude = models.FloatField(null=True, blank=True, help_text="centre of the unit (WGS84), when known")
    longitude = models.FloatField(null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="unit_code_unique_per_level")]
        indexes = [
            models.Index(fields=["path"], name="unit_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name_folded"], name="unit_children_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        today = dt.date.today()
        return (self.valid_to is None or self.valid_to > today) and (
            self.valid_from is None or self.valid_from <= today
        )

    @property
    def counts_as_id(self) -> int:
        """The unit whose figures include this one's: its heir once merged, otherwise itself."""
        return self.heir_id or self.pk

    def ancestor_paths(self) -> list[str]:
        parts = self.path.split(PATH_SEP)
        return [PATH_SEP.join(parts[: i + 1]) for i in range(len(parts))]


def history_q(unit: AdminUnit | int, field: str = "unit") -> Q:
    """Rows whose `field` is the unit itself or one of its predecessors, at any depth: what a filter by one
    unit — not its subtree — means once units merge. A current unit's predecessors all name it as their
    `heir`; an ended unit's own predecessors lie on its path, re-rooted under it (`<path>.~…`), so that a
    filter by an ended unit shows that unit's history. (A subtree is a path prefix: `core.paths.path_q`.)"""
    if isinstance(unit, int):
        return Q(**{f"{field}_id": unit}) | Q(**{f"{field}__heir_id": unit})
    if unit.valid_to is None:
        return Q(**{f"{field}_id": unit.pk}) | Q(**{f"{field}__heir_id": unit.pk})
    return Q(**{f"{field}_id": unit.pk}) | Q(**{f"{field}__path__startswith": unit.path + PATH_SEP + "~"})


def counts_as(field: str = "unit") -> Coalesce:
    """The current unit a row's `field` counts under (its heir, or itself): the key to group figures by."""
    return Coalesce(F(f"{field}__heir_id"), F(f"{field}_id"))


class FormerPlace(models.Model):
    """A unit that lay below `former` until `until`, when `former` merged and the unit moved on with its
    subtree (a commune's villages, a province's communes and their villages). The path no longer says it,
    so this row does: an ended unit's own history still finds what was done at its places while they were
    its own (`history_scope_q`)."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    former = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="former_places")
    until = models.DateField(help_text="the day it stopped lying below `former` (the merge's effective date)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["former", "unit"], name="former_place_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} < {self.former_id} ({self.until:%d/%m/%Y})"


def history_scope_q(unit: AdminUnit, path_field: str = "unit__path", date_field: str = "date", *,
                    moment: bool = False) -> Q:
    """Rows of a unit's whole history, for a filter by one unit: those whose unit (reached through
    `path_field`, a unit path) lies on or below the unit's path — where its predecessors' history lies,
    re-rooted — and, for an ended unit, those made at the places that lay below it (or below one of its
    predecessors) before they moved on with its merge: `date_field` before that day (`moment`: a
    datetime field, compared with the start of that day in the local time zone). For a current unit it is
    the plain path prefix."""
    from gandan.core.paths import path_q

    q = path_q([unit.path], path_field)
    if unit.valid_to is None:
        return q
    prefix = path_field.removesuffix("__path")
    places = FormerPlace.objects.filter(former__in=AdminUnit.objects.history_of(unit))
    for until in sorted(set(places.values_list("until", flat=True))):
        bound: Any = until
        if moment:
            from django.utils import timezone

            bound = timezone.make_aware(dt.datetime.combine(until, dt.time.min))
        q |= Q(**{f"{prefix}__in": places.filter(until=until).values("unit")}) & Q(**{f"{date_field}__lt": bound})
    return q


class MergeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Chờ đến ngày sáp nhập")
    APPLIED = "applied", _("Đã sáp nhập")
    CANCELLED = "cancelled", _("Đã hủy")


class UnitMerge(TimeStamped):
    """A merge of one unit into another on a date: scheduled ahead, applied on the day by a job
    (org.tasks), or at once when the date has come. The record of who asked and what moved."""

    source = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="merges_out")
    target = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="merges_in")
    effective = models.DateField()
    status = models.CharField(max_length=20, choices=MergeStatus.choices, default=MergeStatus.SCHEDULED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    moved = models.JSONField(default=dict, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source"], condition=Q(status="scheduled"),
                                               name="one_scheduled_merge_per_unit")]
        indexes = [models.Index(fields=["status", "effective"], name="unit_merge_due_idx")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.effective:%d/%m/%Y})"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def in_subtree(self, unit: AdminUnit) -> HouseholdQuerySet:
        """Households of the unit's villages: an id subquery, so the count walks the village index."""
        if unit.level.code == "village":
            return self.filter(village=unit)
        return self.filter(village__in=AdminUnit.objects.below(unit).values("pk"))


class Household(TimeStamped):
    """A household in a village. Head's name, address and phone are personal data (DESIGN §6)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="households")
    code = models.CharField(max_length=40)
    head_name = models.CharField(max_length=200)
    head_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    members = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="household_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"


class AgencyKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    FATHERLAND_FRONT = "fatherland_front", _("Ủy ban Mặt trận Tổ quốc")
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
    WOMENS_UNION = "womens_union", _("Hội Liên hiệp Phụ nữ")
    FARMERS_UNION = "farmers_union", _("Hội Nông dân")
    VETERANS_ASSOCIATION = "veterans_association", _("Hội Cựu chiến binh")
    DEPARTMENT = "department", _("Sở, ban, ngành; phòng chuyên môn")


class Field(models.TextChoices):
    """Fields of competence (lĩnh vực), shared by departments and concerns."""

    LAND = "land", _("Đất đai")
    INFRASTRUCTURE = "infrastructure", _("Hạ tầng, giao thông")
    SOCIAL_POLICY = "social_policy", _("Chính sách xã hội")
    HEALTH = "health", _("Y tế")
    EDUCATION = "education", _("Giáo dục")
    ENVIRONMENT = "environment", _("Môi trường")
    SECURITY = "security", _("An ninh, trật tự")
    ADMIN_PROCEDURE = "admin_procedure", _("Thủ tục hành chính")
    OTHER = "other", _("Khác")


class Agency(TimeStamped):
    """A body attached to a unit: committee, council, Front, mass organisation or department."""

    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="agencies")
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    name = models.CharField(max_length=250)
    name_folded = models.CharField(max_length=250, db_index=True, editable=False)
    fields = models.JSONField(default=list, blank=True, help_text="fields of competence (departments)")
    phone = models.CharField(max_length=30, blank=True, help_text="office phone, public")

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_name_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class PartyCell(TimeStamped):
    """A party cell (chi bộ), belonging to an agency or to a village."""

    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=250)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="party_cells")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="party_cells",
                             help_text="the unit where it meets (the agency's unit or the village)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="party_cell_name_unique_per_unit")]

    def __str__(self) -> str:
        return self.name
