"""/api/v1/campaigns: events idempotent by client UUID, refusals naming the field, and every route
answering an outsider exactly as a missing object."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo

import pytest
import time_machine

from gandan.campaigns.models import CampaignEvent
from gandan.campaigns.testing import make_campaign, make_event
from gandan.fieldwork.models import Visit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _june_2026(_clock):
    with time_machine.travel(NOW, tick=False):
        yield


def body(world, campaign, **overrides):
    data = {"client_uuid": str(uuid.uuid4()), "campaign_id": campaign.pk, "date": "2026-06-13",
            "unit_id": world.village_a1.pk, "agency_id": world.agency_a.pk, "cadre_ids": [world.cadre_a.pk],
            "cadre_participations": 4, "citizens": 30, "citizen_groups": {"women": 12},
            "outputs": [{"indicator": "roads_repaired", "amount": "0.8", "measure": "km"}], "notes": "Phát quang"}
    return {**data, **overrides}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_organiser_posts_an_event_and_a_retry_is_answered_from_the_stored_one(world, bearer):
    campaign = make_campaign(world)
    client = bearer(world.commune_a_cadre)
    data = body(world, campaign)
    first = post(client, "/api/v1/campaigns/events", data)
    assert first.status_code == 201, first.content
    again = post(client, "/api/v1/campaigns/events", data)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert first.json()["outputs"] == [{"indicator": "roads_repaired", "amount": "0.80", "measure": "km"}]
    assert len(first.json()["visit_ids"]) == 1 and Visit.objects.count() == 1
    assert post(client, "/api/v1/campaigns/events", {**data, "citizens": 31}).status_code == 409
    assert CampaignEvent.objects.count() == 1


def test_a_value_in_the_wrong_measure_is_a_422_naming_the_field(world, api_as):
    campaign = make_campaign(world)
    response = post(api_as(world.commune_a_leader), "/api/v1/campaigns/events", body(
        world, campaign, outputs=[{"indicator": "fields_reclaimed", "amount": "2", "measure": "km"}]))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "outputs.1.measure"] and "ha" in error["msg"]


def test_a_negative_count_of_citizens_is_a_422_naming_it(world, api_as):
    campaign = make_campaign(world)
    response = post(api_as(world.commune_a_leader), "/api/v1/campaigns/events", body(world, campaign, citizens=-3))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "citizens"


def test_totals_and_compliance_of_a_campaign(world, api_as):
    campaign = make_campaign(world)
    make_event(world, campaign, date=dt.date(2026, 6, 13), cadre_participations=4)
    client = api_as(world.commune_a_leader)
    totals = client.get(f"/api/v1/campaigns/{campaign.pk}/totals", {"date_from": "2026-06-01"}).json()
    assert (totals["events"], totals["participations"], totals["participants"]) == (1, 4, 1)
    assert totals["outputs"][0]["measure"] == "km"
    compliance = client.get(f"/api/v1/campaigns/{campaign.pk}/compliance", {"date_from": "2026-06-01"}).json()
    assert compliance["expected"] == 1 and compliance["behind"] == []


def test_a_model_is_registered_once_and_decided(world, api_as):
    client = api_as(world.commune_a_leader)
    data = {"client_uuid": str(uuid.uuid4()), "unit_id": world.village_a1.pk, "holder_kind": "collective",
            "holder_name": "Tổ hợp tác chè", "title": "Chè shan tuyết", "field": "economy",
            "registered_on": "2026-03-01"}
    created = post(client, "/api/v1/campaigns/models", data)
    assert created.status_code == 201 and post(client, "/api/v1/campaigns/models", data).status_code == 200
    pk = created.json()["id"]
    decided = post(client, f"/api/v1/campaigns/models/{pk}/decisions",
                   {"status": "recognised", "number": "7/QĐ-UBND", "date": "2026-04-01", "level": "commune"})
    assert decided.status_code == 201 and decided.json()["status"] == "recognised"
    wrong = post(client, f"/api/v1/campaigns/models/{pk}/decisions",
                 {"status": "recognised", "number": "8/QĐ", "date": "2026-04-02", "level": "commune"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "status"]
    counts = client.get("/api/v1/campaigns/models/counts").json()
    assert counts["by_status"] == {"recognised": 1}


def test_every_route_answers_an_outsider_exactly_as_a_missing_object(world, api_as):
    campaign = make_campaign(world)
    event = make_event(world, campaign, date=dt.date(2026, 6, 13))
    outsider = api_as(world.other_province_leader)
    routes = [("get", "/api/v1/campaigns/{}", campaign.pk), ("get", "/api/v1/campaigns/{}/totals", campaign.pk),
              ("get", "/api/v1/campaigns/{}/compliance", campaign.pk), ("get", "/api/v1/campaigns/events/{}", event.pk),
              ("put", "/api/v1/campaigns/events/{}", event.pk), ("delete", "/api/v1/campaigns/events/{}", event.pk)]
    change = {k: v for k, v in body(world, campaign).items() if k not in ("client_uuid", "campaign_id")}
    for method, url, pk in routes:
        kwargs = {"data": json.dumps(change), "content_type": "application/json"} if method == "put" else {}
        hidden = getattr(outsider, method)(url.format(pk), **kwargs)
        missing = getattr(outsider, method)(url.format(999999), **kwargs)
        assert hidden.status_code == missing.status_code == 404, url
        assert hidden.content == missing.content
    assert post(outsider, "/api/v1/campaigns/events", body(world, campaign)).status_code == 404
    model = post(api_as(world.commune_a_leader), "/api/v1/campaigns/models", {
        "client_uuid": str(uuid.uuid4()), "unit_id": world.village_a1.pk, "holder_kind": "collective",
        "holder_name": "Tổ hợp tác chè", "title": "Chè shan tuyết", "field": "economy",
        "registered_on": "2026-03-01"}).json()["id"]
    hidden, missing = outsider.get(f"/api/v1/campaigns/models/{model}"), outsider.get("/api/v1/campaigns/models/999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    decision = {"status": "recognised", "number": "7/QĐ", "date": "2026-04-01", "level": "commune"}
    assert post(outsider, f"/api/v1/campaigns/models/{model}/decisions", decision).status_code == 404
    assert outsider.get("/api/v1/campaigns/models").json()["count"] == 0
    assert outsider.get("/api/v1/campaigns").json()["count"] == 0
    assert outsider.get("/api/v1/campaigns/events").json()["count"] == 0
    assert CampaignEvent.objects.filter(pk=event.pk).exists() and Visit.objects.count() == 1
