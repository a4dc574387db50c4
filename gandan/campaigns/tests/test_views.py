"""The campaign pages: the organiser records an event from the form, figures drill down, files
download, and every route answers an outsider exactly as a missing object (and logs the denial)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from openpyxl import load_workbook

from gandan.campaigns import model_services
from gandan.campaigns.inputs import ModelIn
from gandan.campaigns.models import CampaignEvent, EventPhoto
from gandan.campaigns.testing import make_campaign, make_event
from gandan.fieldwork.models import Visit
from gandan.fieldwork.testing import JPEG
from gandan.people.testing import assert_denied_like_missing, make_cadre

pytestmark = pytest.mark.django_db


def form(world, **overrides):
    data = {"agency": world.agency_a.pk, "client_uuid": str(uuid.uuid4()), "date": "2026-06-13",
            "unit": world.village_a1.pk, "cadres": [world.cadre_a.pk], "citizens": "35",
            "party_members_reached": "0", "out_roads_repaired": "1.2", "out_gardens_renovated": "3",
            "group_women": "20", "notes": "Làm đường liên thôn"}
    return {**data, **overrides}


def test_the_organiser_records_an_event_with_a_photo(world, client_as):
    campaign = make_campaign(world)
    client = client_as(world.commune_a_cadre)
    page = client.get(f"/campaigns/{campaign.pk}/events/new/")
    assert page.status_code == 200 and "Sân Tiến Phúc" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile
    response = client.post(f"/campaigns/{campaign.pk}/events/new/", {
        **form(world), "photos": [SimpleUploadedFile("anh.jpg", JPEG, "image/jpeg")]})
    event = CampaignEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/events/{event.pk}/"
    assert (event.citizens, event.citizen_groups, event.cadre_participations) == (35, {"women": 20}, 1)
    assert sorted((o.indicator.code, str(o.amount)) for o in event.outputs.select_related("indicator")) == [
        ("gardens_renovated", "3.00"), ("roads_repaired", "1.20")]
    assert Visit.objects.get().cadre_id == world.cadre_a.pk and EventPhoto.objects.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "1,2" in detail or "1.2" in detail


def test_a_refusal_comes_back_on_the_field_it_names_and_keeps_what_was_typed(world, client_as):
    second = make_cadre(world.agency_a, "Hoàng Thị Lan")
    campaign = make_campaign(world)
    response = client_as(world.commune_a_cadre).post(f"/campaigns/{campaign.pk}/events/new/", form(
        world, cadres=[world.cadre_a.pk, second.pk], cadre_participations="1"))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-error-for="cadre_participations"' in page
    assert "Làm đường liên thôn" in page and not CampaignEvent.objects.exists()


def test_the_summary_drills_down_and_downloads(world, client_as):
    campaign = make_campaign(world)
    make_event(world, campaign, date=dt.date(2026, 3, 7), citizens=40)
    make_event(world, campaign, date=dt.date(2026, 4, 4), citizens=5, unit_id=world.village_a2.pk)
    client = client_as(world.commune_a_leader)
    page = client.get(f"/campaigns/{campaign.pk}/", {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="citizens">40<' in text
    listing = client.get("/campaigns/events/", {"campaign": campaign.pk, "date_from": "2026-03-01",
                                                "date_to": "2026-03-31"})
    assert listing.context["page"].paginator.count == 1
    file = client.get(f"/campaigns/{campaign.pk}/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(file.getvalue())).active.iter_rows(values_only=True))
    assert ("Lượt người dân tham gia", 45, "lượt", 2) in rows


def test_a_leader_creates_a_campaign_from_the_form(world, client_as):
    response = client_as(world.commune_a_leader).post("/campaigns/new/", {
        "name": "Thứ Năm xuống thôn", "agency": world.agency_a.pk, "starts_on": "2026-01-01",
        "schedule": "thursdays", "scope": [world.commune_a.pk], "with_subtree": "on", "min_events": "2",
        "rule_period": "month", "indicators": ["gardens_renovated", "households_helped"]})
    assert response.status_code == 302
    page = client_as(world.commune_a_leader).get(response["Location"]).content.decode()
    assert "Thứ Năm xuống thôn" in page


def test_the_models_register_lists_counts_and_exports(world, client_as):
    client = client_as(world.commune_a_leader)
    response = client.post("/campaigns/models/new/", {
        "client_uuid": str(uuid.uuid4()), "unit": world.village_a1.pk, "holder_kind": "collective",
        "holder_name": "Tổ hợp tác chè", "title": "Chè shan tuyết", "field": "economy",
        "registered_on": "2026-03-01"})
    assert response.status_code == 302
    decided = client.post(response["Location"], {"status": "recognised", "number": "9/QĐ-UBND",
                                                 "date": "2026-04-01", "level": "commune"})
    assert decided.status_code == 302
    page = client.get("/campaigns/models/")
    assert page.context["counts"].by_status == {"recognised": 1}
    rows = list(load_workbook(io.BytesIO(client.get("/campaigns/models/", {"export": "xlsx"}).getvalue()))
                .active.iter_rows(values_only=True))
    assert rows[2][1] == "Chè shan tuyết" and rows[2][8] == "9/QĐ-UBND"


def test_every_route_answers_an_outsider_exactly_as_a_missing_object(world, client, caplog):
    campaign = make_campaign(world)
    event = make_event(world, campaign, date=dt.date(2026, 6, 13))
    model, _ = model_services.model_register(actor=None, data=ModelIn(
        client_uuid=uuid.uuid4(), unit_id=world.village_a1.pk, holder_kind="collective", holder_name="Tổ chè",
        title="Chè", field="economy", registered_on=dt.date(2026, 3, 1)))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandan.campaigns.services import photo_add
    photo, _ = photo_add(actor=None, event=event, upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"))
    user = world.other_province_leader
    client.force_login(user)
    routes = [(f"/campaigns/{campaign.pk}/", "/campaigns/999999/", "campaigns.campaign", campaign.pk),
              (f"/campaigns/{campaign.pk}/events/new/", "/campaigns/999999/events/new/", "campaigns.campaign",
               campaign.pk),
              (f"/campaigns/events/{event.pk}/", "/campaigns/events/999999/", "campaigns.campaignevent", event.pk),
              (f"/campaigns/events/{event.pk}/edit/", "/campaigns/events/999999/edit/", "campaigns.campaignevent",
               event.pk),
              (f"/campaigns/models/{model.pk}/", "/campaigns/models/999999/", "campaigns.exemplarymodel", model.pk),
              (f"/campaigns/photos/{photo.pk}/", "/campaigns/photos/999999/", "campaigns.eventphoto", photo.pk)]
    for url, missing, kind, pk in routes:
        assert_denied_like_missing(client, caplog, user, url, missing, kind=kind, object_id=pk)
    by_campaign = client.get(f"/campaigns/events/?campaign={campaign.pk}")
    assert by_campaign.status_code == 404
    assert by_campaign.content == client.get("/campaigns/events/?campaign=999999").content
    hidden = client.post(f"/campaigns/events/{event.pk}/delete/")
    assert hidden.status_code == 404 and CampaignEvent.objects.filter(pk=event.pk).exists()
    assert client.post(f"/campaigns/models/{model.pk}/", {"status": "recognised"}).status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/events/new/", form(world)).status_code == 404
    listing = client.get("/campaigns/").content.decode()
    assert campaign.name not in listing
    assert client.get("/campaigns/events/").context["page"].paginator.count == 0
    assert client.get("/campaigns/models/").context["counts"].total == 0
