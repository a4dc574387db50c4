"""A merge moves events (and campaigns, scope and models) to the target; totals follow the tree."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from gandan.campaigns import model_services, queries
from gandan.campaigns.inputs import ModelIn
from gandan.campaigns.models import CampaignEvent
from gandan.campaigns.testing import make_campaign, make_event
from gandan.org.services import unit_merge

pytestmark = pytest.mark.django_db


def test_an_event_at_a_merged_village_adds_up_under_its_successor(world):
    campaign = make_campaign(world)
    event = make_event(world, campaign, unit_id=world.village_a1.pk, citizens=40)
    make_event(world, campaign, unit_id=world.village_a2.pk, citizens=10)
    unit_merge(actor=None, sources=[world.village_a1], target=world.village_a2, effective=dt.date(2026, 5, 1))
    event.refresh_from_db()
    assert (event.unit_id, event.recorded_unit_id) == (world.village_a2.pk, world.village_a1.pk)
    t = queries.totals(world.commune_a_leader, queries.EventFilters(unit=world.village_a2))
    assert (t.events, t.citizens) == (2, 50)


def test_a_merged_commune_hands_its_campaigns_scope_and_models_to_the_target(world):
    campaign = make_campaign(world, scope=[(world.commune_a, True), (world.commune_b, True)])
    model, _ = model_services.model_register(actor=None, data=ModelIn(
        client_uuid=uuid.uuid4(), unit_id=world.commune_a.pk, holder_kind="collective", holder_name="Thôn Nậm Lìn",
        title="Đường hoa nông thôn mới", field="new_rural", registered_on=dt.date(2026, 2, 1)))
    make_event(world, campaign, unit_id=world.commune_a.pk)
    unit_merge(actor=None, sources=[world.commune_a], target=world.commune_b, effective=dt.date(2026, 5, 1))
    campaign.refresh_from_db()
    model.refresh_from_db()
    assert campaign.unit_id == world.commune_b.pk and model.unit_id == world.commune_b.pk
    assert list(campaign.scope.values_list("unit_id", flat=True)) == [world.commune_b.pk]
    assert CampaignEvent.objects.get().unit_id == world.commune_b.pk
