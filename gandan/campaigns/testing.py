"""Factories for campaign tests, on the persona world of gandan.people.testing: a weekend campaign
of commune A's people's committee (agency_a), for commune A's agencies, measuring km, ha and gardens."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from gandan.campaigns.campaign_services import CampaignData, campaign_create
from gandan.campaigns.inputs import EventIn, OutputIn
from gandan.campaigns.models import Campaign, CampaignEvent
from gandan.campaigns.services import event_record

START = dt.date(2026, 1, 1)


def make_campaign(world: Any, **overrides: Any) -> Campaign:
    data = {"name": "Ngày cuối tuần cùng dân", "agency": world.agency_a, "starts_on": START,
            "schedule": "weekends", "scope": [(world.commune_a, True)],
            "indicator_codes": ["roads_repaired", "fields_reclaimed", "gardens_renovated"],
            "min_events": 1, "rule_period": "month"}
    data.update(overrides)
    return campaign_create(actor=None, data=CampaignData(**data))


def event_in(world: Any, campaign: Campaign, **overrides: Any) -> EventIn:
    data: dict[str, Any] = {
        "client_uuid": uuid.uuid4(), "campaign_id": campaign.pk, "date": dt.date(2026, 3, 7),
        "unit_id": world.village_a1.pk, "agency_id": world.agency_a.pk, "cadre_ids": [world.cadre_a.pk],
        "citizens": 40, "outputs": [OutputIn(indicator="roads_repaired", amount=Decimal("1.5"), measure="km")],
    }
    data.update(overrides)
    return EventIn(**data)


def make_event(world: Any, campaign: Campaign, *, actor: Any = None, **overrides: Any) -> CampaignEvent:
    event, _created = event_record(actor=actor, campaign=campaign, data=event_in(world, campaign, **overrides))
    return event


def campaign_ids(world: Any) -> dict[str, int]:
    """A campaign, an event of yesterday and a model, for tests that walk every API operation."""
    from django.utils import timezone

    from gandan.campaigns.inputs import ModelIn
    from gandan.campaigns.model_services import model_register

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    campaign = make_campaign(world, starts_on=dt.date(2020, 1, 1))
    model, _created = model_register(actor=None, data=ModelIn(
        client_uuid=uuid.uuid4(), unit_id=world.village_a1.pk, holder_kind="individual", holder_name="Sân Tiến Phúc",
        title="Vườn mẫu", field="economy", registered_on=yesterday))
    return {"campaign_id": campaign.pk, "event_id": make_event(world, campaign, date=yesterday).pk,
            "model_id": model.pk}
