"""Text that cannot hurt: control characters, lone surrogates and bidirectional overrides are refused
by every input of the API (core/input_types.py) with a 422 of the usual shape naming the field, in the
caller's language; Open311 refuses them in its own error format; nothing is written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from gandan.fieldwork.models import Visit
from gandan.fieldwork.testing import body, make_visit
from gandan.petitions import keys
from gandan.petitions.models import Petition

pytestmark = pytest.mark.django_db
API = "/api/v1"
REFUSED_EVERYWHERE = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u202e", "\u2067", "\ud800"]
LINE_BREAKS = ["\n", "\r", "\t"]


def concern(world, **fields) -> dict:
    return {"unit_id": world.village_a1.pk, "text": "Đường vào thôn bị sạt lở", "field": "infrastructure", **fields}


def post(client: Client, url: str, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def only_error(response) -> dict:
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    return error


def test_a_nul_in_a_concern_is_refused_naming_the_field_and_nothing_is_written(world, api_as):
    response = post(api_as(world.commune_a_leader), f"{API}/petitions", concern(world, text="Đường\x00 sạt lở"))
    error = only_error(response)
    assert error["loc"] == ["body", "payload", "text"]
    assert error["type"] == "unsafe_character"
    assert error["msg"] == "Trường text có ký tự không được phép (U+0000); hãy xóa ký tự đó rồi gửi lại."
    assert not Petition.objects.exists()


def test_the_refusal_speaks_english_to_a_user_who_chose_english(world, api_as, settings):
    client = api_as(world.commune_a_leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post(client, f"{API}/petitions", concern(world, citizen_name="A\u202eB"))
    assert only_error(response)["msg"] == ("The field citizen_name has a character that is not allowed (U+202E); "
                                           "remove it and send again.")


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE)
@pytest.mark.parametrize("field", ["text", "citizen_name", "source_ref"])
def test_controls_surrogates_and_bidi_overrides_are_refused_in_names_and_free_text(world, api_as, field, char):
    response = post(api_as(world.commune_a_leader), f"{API}/petitions", concern(world, **{field: f"Ab{char}c"}))
    assert only_error(response)["loc"] == ["body", "payload", field]
    assert not Petition.objects.exists()


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_free_text_keeps_its_line_breaks_and_tabs_but_a_name_may_not(world, api_as, char):
    client = api_as(world.commune_a_leader)
    kept = post(client, f"{API}/petitions", concern(world, text=f"Đường vào thôn{char}bị sạt lở"))
    assert kept.status_code == 201, kept.content
    assert char in Petition.objects.get().text
    refused = post(client, f"{API}/petitions", concern(world, citizen_name=f"Vàng{char}Seo Sử"))
    assert only_error(refused)["loc"] == ["body", "payload", "citizen_name"]
    assert Petition.objects.count() == 1


def test_the_steps_of_a_concern_refuse_them_too(world, api_as):
    from gandan.petitions.testing import receive

    petition = receive(world)
    response = post(api_as(world.commune_a_leader), f"{API}/petitions/{petition.pk}/accept", {"note": "Nhận\x00"})
    assert only_error(response)["loc"] == ["body", "payload", "note"]
    petition.refresh_from_db()
    assert petition.status == "received"


def test_a_query_parameter_is_refused_too(world, api_as):
    response = api_as(world.commune_a_leader).get(f"{API}/cadres", {"q": "Sân\x00"})
    assert only_error(response)["loc"] == ["query", "q"]


def test_a_visit_refuses_them_in_nested_concerns_and_in_the_keys_of_its_findings(world, bearer):
    client = bearer(world.commune_a_cadre)
    nested = post(client, f"{API}/fieldwork/visits", body(world, concerns=[
        {"text": "Cầu treo hỏng", "field": "infrastructure", "citizen_name": "Giàng\u2066A"}]))
    assert only_error(nested)["loc"] == ["body", "payload", "concerns", 0, "citizen_name"]
    key = post(client, f"{API}/fieldwork/visits", body(world, findings={"security\x00": "Ổn"}))
    assert only_error(key)["loc"][:3] == ["body", "payload", "findings"]
    assert not Visit.objects.exists()


def test_the_visit_edit_page_shows_the_refusal_on_the_field(world, client_as):
    visit = make_visit(world)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = client_as(world.commune_a_cadre).post(reverse("fieldwork-visit-edit", args=[visit.pk]), {
        "date": yesterday, "kind": visit.kind, "notes": "Sửa\x01lại"})
    assert response.status_code == 200
    assert "U+0001" in " ".join(response.context["form"].errors["notes"])
    visit.refresh_from_db()
    assert visit.notes == ""


# -- Open311: the same refusal in the spec's error format ---------------------------------------------
def test_open311_refuses_a_control_character_in_its_own_error_format(world, client):
    _key, api_key = keys.key_create(actor=None, province=world.province, name="Ứng dụng thử")
    response = client.post("/petitions/open311/v2/requests.json", {
        "api_key": api_key, "service_code": "land", "address_id": world.village_a1.code,
        "description": "Đất\x00", "first_name": "Vàng"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "Trường description có ký tự không được phép (U+0000); "
                                                            "hãy xóa ký tự đó rồi gửi lại."}]
    assert not Petition.objects.exists()


def test_open311_keeps_the_line_breaks_of_a_description_but_not_of_a_name(world, client):
    _key, api_key = keys.key_create(actor=None, province=world.province, name="Ứng dụng thử")
    data = {"api_key": api_key, "service_code": "land", "address_id": world.village_a1.code,
            "description": "Đất\r\nlấn chiếm"}
    assert client.post("/petitions/open311/v2/requests.json", data).status_code == 200
    refused = client.post("/petitions/open311/v2/requests.xml", {**data, "last_name": "Sử\u202e"})
    assert refused.status_code == 400 and b"<errors><error><code>400</code>" in refused.content
    assert Petition.objects.count() == 1


def test_open311_refuses_them_in_a_search_too(world, client):
    response = client.get("/petitions/open311/v2/requests.json", {"service_code": "land\x00"})
    assert response.status_code == 400 and "service_code" in response.json()[0]["description"]
