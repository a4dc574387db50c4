"""Writes on campaigns themselves: create one (organiser, period, schedule, scope, rule, indicators).
Atomic, audited. Events are in services.py, exemplary models in model_services.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gandan.campaigns.defaults import DEFAULT_INDICATORS
from gandan.campaigns.models import Campaign, CampaignScope, Indicator, RulePeriod, Schedule
from gandan.core import audit
from gandan.fieldwork.sync import clean_text
from gandan.org.models import AdminUnit, Agency
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, EmploymentType, User

CAMPAIGN_FIELDS = ["province_id", "name", "agency_id", "unit_id", "starts_on", "ends_on", "schedule", "dates",
                   "min_events", "rule_period", "rule_employment_types", "description"]


@dataclass(frozen=True)
class CampaignData:
    name: str
    agency: Agency
    starts_on: dt.date
    schedule: str
    scope: Sequence[tuple[AdminUnit, bool]]  # (unit, with the units below it)
    indicator_codes: Sequence[str]
    ends_on: dt.date | None = None
    dates: Sequence[dt.date] = ()
    min_events: int = 0
    rule_period: str = RulePeriod.MONTH
    rule_employment_types: Sequence[str] = field(default_factory=tuple)
    description: str = ""


def indicators_ensure_defaults() -> None:
    """The shared catalogue (defaults.py) when the table is empty: loaded by a migration, and again
    here after a database is flushed (transactional tests)."""
    if not Indicator.objects.exists():
        Indicator.objects.bulk_create([
            Indicator(code=code, name_vi=vi, name_en=en, measure=measure, position=position)
            for position, (code, vi, en, measure) in enumerate(DEFAULT_INDICATORS, start=1)])


def _validate(data: CampaignData) -> list[Indicator]:
    errors: dict[str, list[str]] = {}
    if not clean_text(data.name):
        errors["name"] = [_("Hãy đặt tên phong trào.")]
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if data.schedule not in Schedule.values:
        errors["schedule"] = [_("Lịch tổ chức không hợp lệ: %(value)s.") % {"value": data.schedule}]
    if data.schedule == Schedule.DATES and not data.dates:
        errors["dates"] = [_("Lịch theo ngày đã định cần ít nhất một ngày.")]
    if data.rule_period not in RulePeriod.values:
        errors["rule_period"] = [_("Kỳ tính số lần tham gia phải là tháng hoặc quý.")]
    bad_types = sorted(set(data.rule_employment_types) - set(EmploymentType.values))
    if bad_types:
        errors["rule_employment_types"] = [_("Loại cán bộ không hợp lệ: %(value)s.") % {"value": ", ".join(bad_types)}]
    if not data.scope:
        errors["scope"] = [_("Hãy chọn ít nhất một đơn vị có cơ quan tham gia.")]
    province_id = data.agency.province_id
    outside = [u.name for u, _below in data.scope if u.province_id != province_id and u.pk != province_id]
    if outside:
        errors["scope"] = [_("Đơn vị ngoài tỉnh của cơ quan tổ chức: %(names)s.") % {"names": ", ".join(outside)}]
    codes = list(dict.fromkeys(c.strip() for c in data.indicator_codes if c.strip()))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in indicators]
    if unknown:
        errors["indicators"] = [_("Chỉ tiêu không có trong danh mục: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return [indicators[c] for c in codes]


def campaign_create(*, actor: User | None, data: CampaignData) -> Campaign:
    """A new campaign organised by `data.agency`; its leaders (write roles over the agency's unit) create it."""
    unit = data.agency.unit
    if actor is not None and not scoping.has_role(actor, WRITE_ROLES, unit):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị của cơ quan tổ chức được tạo phong trào."))
    indicators_ensure_defaults()
    indicators = _validate(data)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            province_id=data.agency.province_id or unit.province_id or unit.pk, name=clean_text(data.name)[:250],
            agency=data.agency, unit=unit,
            starts_on=data.starts_on, ends_on=data.ends_on, schedule=data.schedule,
            dates=sorted({d.isoformat() for d in data.dates}), min_events=data.min_events,
            rule_period=data.rule_period, rule_employment_types=sorted(set(data.rule_employment_types)),
            description=clean_text(data.description), created_by=actor)
        CampaignScope.objects.bulk_create([CampaignScope(campaign=campaign, unit=u, with_subtree=below)
                                           for u, below in dict((u.pk, (u, b)) for u, b in data.scope).values()])
        campaign.indicators.set(indicators)
        audit.record(actor=actor, action="campaign.create", obj=campaign, province_id=campaign.province_id, after={
            **audit.snapshot(campaign, CAMPAIGN_FIELDS), "scope": [[u.pk, b] for u, b in data.scope],
            "indicators": [i.code for i in indicators]})
    return campaign
