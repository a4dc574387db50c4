"""What an event says is checked before anything is written; each refusal names its field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gandan.campaigns import services
from gandan.campaigns.inputs import OutputIn
from gandan.campaigns.models import CampaignEvent
from gandan.campaigns.testing import event_in, make_campaign
from gandan.core.models import AuditEvent
from gandan.fieldwork.models import Visit
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db


def refused(world, campaign, **overrides) -> dict[str, list[str]]:
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.event_record(actor=None, campaign=campaign, data=event_in(world, campaign, **overrides))
    assert not CampaignEvent.objects.exists() and not Visit.objects.exists()
    assert AuditEvent.objects.count() == audits
    return caught.value.message_dict


def test_a_value_in_another_measure_than_its_indicator_is_refused_naming_it(world):
    campaign = make_campaign(world)
    errors = refused(world, campaign, outputs=[OutputIn(indicator="roads_repaired", amount="3", measure="ha")])
    [message] = errors["outputs.1.measure"]
    assert "km" in message and "ha" in message and "Đường giao thông" in message


def test_a_negative_amount_is_refused_naming_the_indicator(world):
    campaign = make_campaign(world)
    errors = refused(world, campaign, outputs=[
        OutputIn(indicator="roads_repaired", amount="1", measure="km"),
        OutputIn(indicator="fields_reclaimed", amount="-2", measure="ha")])
    assert list(errors) == ["outputs.2.amount"] and "âm" in errors["outputs.2.amount"][0]


def test_an_indicator_the_campaign_does_not_measure_is_refused(world):
    campaign = make_campaign(world)
    errors = refused(world, campaign, outputs=[OutputIn(indicator="lighting", amount="1", measure="km")])
    assert "lighting" in errors["outputs.1.indicator"][0]


def test_fewer_participations_than_named_cadres_is_refused(world):
    second = make_cadre(world.agency_a, "Hoàng Thị Lan")
    campaign = make_campaign(world)
    errors = refused(world, campaign, cadre_ids=[world.cadre_a.pk, second.pk], cadre_participations=1)
    [message] = errors["cadre_participations"]
    assert "(1)" in message and "(2)" in message


def test_cadres_of_another_agency_are_refused(world):
    campaign = make_campaign(world)
    errors = refused(world, campaign, cadre_ids=[world.cadre_b.pk])
    assert str(world.cadre_b.pk) in errors["cadre_ids"][0]


def test_a_place_outside_the_campaign_and_a_date_outside_its_period_are_refused(world):
    campaign = make_campaign(world, ends_on=dt.date(2026, 5, 31))
    errors = refused(world, campaign, unit_id=world.village_b1.pk, date=dt.date(2026, 6, 6))
    assert set(errors) == {"unit_id", "date"}
    assert "date" in refused(world, campaign, date=dt.date(2026, 6, 20))  # still to come


def test_citizen_groups_cannot_exceed_the_citizens(world):
    campaign = make_campaign(world)
    errors = refused(world, campaign, citizens=10, citizen_groups={"women": 8, "youth": 5})
    assert "13" in errors["citizen_groups"][0]
    assert "citizen_groups" in refused(world, campaign, citizen_groups={"aliens": 1})


def test_the_participations_default_to_the_named_cadres(world):
    campaign = make_campaign(world)
    event, _ = services.event_record(actor=None, campaign=campaign, data=event_in(world, campaign))
    assert event.cadre_participations == 1
