"""Campaigns ("Ngày cuối tuần cùng dân", Thursday field days), their events and measured outputs,
and the register of exemplary models with the decisions that recognise, praise or commend them.

Outputs are measured against a shared `Indicator` catalogue; each indicator has one unit of
measure (`Measure`), and every stored value repeats it, so that a total is always grouped by
indicator *and* measure: kilometres are never added to hectares. An event's named cadres are
`EventCadre` rows that repeat the event's campaign and date (set-based counts of participations,
participants and compliance), each linked to the field-day `Visit` that the field-work module
counts for that cadre (see services.py and fieldwork/linked_visits.py).

`Decision` is the register of praise and commendation (and recognition) decisions: the evaluation
app reads it through `queries.decisions_register` for emulation (DESIGN §1, "làm căn cứ bình xét
thi đua").
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandan.core.storage import dated_path
from gandan.fieldwork.models import Visit
from gandan.org.models import AdminUnit, Agency, PartyCell
from gandan.people.models import Cadre


class Measure(models.TextChoices):
    """The units of measure of the indicator catalogue."""

    KM = "km", _("km")
    HECTARE = "ha", _("ha")
    HOUSEHOLDS = "households", _("hộ")
    GARDENS = "gardens", _("vườn")
    WORKDAYS = "workdays", _("ngày công")
    MILLION_VND = "million_vnd", _("triệu đồng")
    PEOPLE_REACHED = "people_reached", _("người được tuyên truyền")
    COUNT = "count", _("cái, công trình")


class Indicator(models.Model):
    """An output a campaign measures (km of road repaired, ha of terraced fields reclaimed…): shared."""

    code = models.SlugField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_measure_display()})"

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_vi


class Schedule(models.TextChoices):
    WEEKENDS = "weekends", _("Cuối tuần (thứ Bảy, Chủ nhật)")
    THURSDAYS = "thursdays", _("Thứ Năm hằng tuần")
    DATES = "dates", _("Theo các ngày đã định")


class RulePeriod(models.TextChoices):
    MONTH = "month", _("tháng")
    QUARTER = "quarter", _("quý")


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def running_on(self, day: dt.date) -> CampaignQuerySet:
        return self.filter(starts_on__lte=day).filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))


class Campaign(models.Model):
    """A recurring campaign run by one agency, over a period, on a schedule, for the agencies of its scope."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=250)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="campaigns",
                               help_text="the organising agency")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="campaigns",
                             help_text="the organiser's unit (the agency's unit when created)")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    schedule = models.CharField(max_length=20, choices=Schedule.choices)
    dates = models.JSONField(default=list, blank=True, help_text="ISO dates, for the 'dates' schedule")
    scope_units: models.ManyToManyField[AdminUnit, CampaignScope] = models.ManyToManyField(
        AdminUnit, through="CampaignScope", related_name="+")
    indicators: models.ManyToManyField[Indicator, Indicator] = models.ManyToManyField(Indicator, related_name="+")
    min_events = models.PositiveSmallIntegerField(default=0, help_text="each cadre at least this many events")
    rule_period = models.CharField(max_length=10, choices=RulePeriod.choices, default=RulePeriod.MONTH)
    rule_employment_types = models.JSONField(default=list, blank=True, help_text="empty: every employment type")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignScope(models.Model):
    """A unit whose agencies take part (with the units below it when `with_subtree`)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scope")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    with_subtree = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_scope_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.unit_id}"


class CampaignEvent(models.Model):
    """One event of a campaign: a day at a place, its named cadres, its citizens and its outputs."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.UUIDField(default=uuid_lib.uuid4, help_text="made by the client; a retry reuses it")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    date = models.DateField()
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="campaign_events",
                             help_text="where it took place (moved to the successor by a merge)")
    recorded_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+",
                                      help_text="the place as recorded, kept through merges")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="campaign_events",
                               help_text="the organising agency")
    cadre_participations = models.PositiveIntegerField(
        default=0, help_text="cadres who took part, named or not (at least the named ones)")
    citizens = models.PositiveIntegerField(default=0, help_text="citizens' participations")
    citizen_groups = models.JSONField(default=dict, blank=True, help_text="group code → count (optional)")
    party_members_reached = models.PositiveIntegerField(default=0)
    party_cells: models.ManyToManyField[PartyCell, PartyCell] = models.ManyToManyField(PartyCell, related_name="+")
    cadres: models.ManyToManyField[Cadre, EventCadre] = models.ManyToManyField(
        Cadre, through="EventCadre", related_name="campaign_events")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    body_hash = models.CharField(max_length=64, help_text="hash of the normalised submitted body (409 check)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "client_uuid"], name="event_uuid_unique")]
        indexes = [models.Index(fields=["campaign", "date"], name="event_campaign_date_idx"),
                   models.Index(fields=["province", "date"], name="event_province_date_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.date:%d/%m/%Y}"


class EventCadre(models.Model):
    """A named cadre present at an event; repeats its campaign and date for set-based counts."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(CampaignEvent, on_delete=models.CASCADE, related_name="cadre_links")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="the field-day visit field work counts for this cadre")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "cadre"], name="event_cadre_unique")]
        indexes = [models.Index(fields=["campaign", "cadre", "date"], name="eventcadre_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.cadre_id}"


class EventOutput(models.Model):
    """An indicator's value at an event, with the indicator's measure repeated (sums group by both)."""

    event = models.ForeignKey(CampaignEvent, on_delete=models.CASCADE, related_name="outputs")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "indicator"], name="event_output_unique"),
                       models.CheckConstraint(condition=models.Q(amount__gte=0), name="event_output_not_negative")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.indicator_id} = {self.amount} {self.measure}"


def event_photo_path(instance: EventPhoto, filename: str) -> str:
    return dated_path("events", instance.event.province_id, f"{instance.event_id}-{instance.sha256[:16]}", filename)


class EventPhoto(models.Model):
    """A photo of an event; the same picture twice is stored once."""

    event = models.ForeignKey(CampaignEvent, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=event_photo_path, max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "sha256"], name="event_photo_unique")]

    def __str__(self) -> str:
        return self.file.name


# -- exemplary models ---------------------------------------------------------------------------------
class HolderKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class ModelField(models.TextChoices):
    ECONOMY = "economy", _("Phát triển kinh tế, giảm nghèo")
    NEW_RURAL = "new_rural", _("Xây dựng nông thôn mới")
    MASS_MOBILISATION = "mass_mobilisation", _("Dân vận khéo")
    CULTURE = "culture", _("Văn hóa, xã hội")
    ENVIRONMENT = "environment", _("Môi trường")
    SECURITY = "security", _("An ninh, trật tự")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng, chính quyền")
    OTHER = "other", _("Khác")


class ModelStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    RECOGNISED = "recognised", _("Được công nhận")
    PRAISED = "praised", _("Được biểu dương")
    COMMENDED = "commended", _("Được khen thưởng")


class DecisionLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Trung ương")


class ExemplaryModel(models.Model):
    """A model (mô hình điển hình tiên tiến) registered by a collective or an individual."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.UUIDField(default=uuid_lib.uuid4, help_text="made by the client; a retry reuses it")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="exemplary_models")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="models")
    holder_kind = models.CharField(max_length=20, choices=HolderKind.choices)
    holder_name = models.CharField(max_length=250, help_text="the collective or the person")
    cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="the person, when a cadre")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text="the collective, when an agency")
    title = models.CharField(max_length=250)
    field = models.CharField(max_length=30, choices=ModelField.choices)
    description = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    registered_on = models.DateField()
    status = models.CharField(max_length=20, choices=ModelStatus.choices, default=ModelStatus.REGISTERED)
    body_hash = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["province", "client_uuid"], name="model_uuid_unique")]
        indexes = [models.Index(fields=["province", "registered_on"], name="model_province_date_idx")]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """The register of decisions: on an exemplary model (recognition, praise or commendation), or a
    commendation of a cadre (the evaluation's emulation review writes these: `cadre`, `unit`, `reason`,
    no model). Number, date and level either way."""

    model = models.ForeignKey(ExemplaryModel, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="decisions")
    cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions",
                              help_text="the cadre commended, when the decision is on no model")
    unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="the cadre's unit (for scoped reads), when on no model")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ModelStatus.choices, help_text="the status it gives")
    number = models.CharField(max_length=60, help_text="e.g. 125/QĐ-UBND")
    date = models.DateField()
    level = models.CharField(max_length=20, choices=DecisionLevel.choices)
    issuer = models.CharField(max_length=250, blank=True)
    reason = models.TextField(blank=True, help_text="why the cadre is commended")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["province", "date"], name="decision_province_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False) | (Q(cadre__isnull=False) & Q(unit__isnull=False) & ~Q(reason="")),
                name="decision_on_a_model_or_a_cadre"),
            models.UniqueConstraint(fields=["province", "number", "cadre"], condition=Q(model__isnull=True),
                                    name="decision_cadre_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.date:%d/%m/%Y}"
