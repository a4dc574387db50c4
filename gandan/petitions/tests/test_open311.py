"""Open311 GeoReport v2 against the shapes of the spec's documented examples (JSON and XML, parsed back
with xml.etree), with its filters, errors and API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gandan.core.models import ApiKey
from gandan.petitions import keys, services
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
SERVICE_KEYS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_KEYS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
BASE = "/petitions/open311/v2"


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


@pytest.fixture
def api_key(world) -> str:
    _key, plaintext = keys.key_create(actor=None, province=world.province, name="Ứng dụng thử")
    return plaintext


def test_the_endpoint_lives_where_the_urls_say(client):
    assert reverse("open311-services", kwargs={"fmt": "json"}) == f"{BASE}/services.json"
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["specification"] == \
        "http://wiki.open311.org/GeoReport_v2"


def test_service_list_json_has_the_spec_fields(client, world):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": world.province.code})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = response.json()
    assert isinstance(rows, list) and {r["service_code"] for r in rows} >= {"land", "infrastructure", "health"}
    assert all(set(r) == SERVICE_KEYS for r in rows)
    land = next(r for r in rows if r["service_code"] == "land")
    assert (land["service_name"], land["metadata"], land["type"]) == ("Đất đai", True, "realtime")


def test_service_list_xml_is_services_of_service(client, world):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services_ = root.findall("service")
    assert services_ and {child.tag for child in services_[0]} == SERVICE_KEYS
    assert services_[0].findtext("metadata") == "true"


def test_a_province_field_appears_in_its_service_list(client, world):
    from gandan.petitions import config_services

    config_services.field_save(actor=None, province=world.province, code="water", name_vi="Nước sạch")
    codes = [r["service_code"] for r in client.get(f"{BASE}/services.json", {"jurisdiction_id": "T08"}).json()]
    assert "water" in codes
    assert "water" not in [r["service_code"] for r in client.get(f"{BASE}/services.json").json()]


def test_an_unknown_jurisdiction_is_404_in_the_errors_shape(client, world):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere"})
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "jurisdiction_id nowhere was not found"}]
    root = xml_of(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "nowhere"}))
    assert root.tag == "errors" and root.find("error").findtext("code") == "404"


def test_service_definition_json_and_xml(client, world):
    data = client.get(f"{BASE}/services/land.json").json()
    assert data["service_code"] == "land"
    attribute = data["attributes"][0]
    assert set(attribute) == {"variable", "code", "datatype", "required", "datatype_description", "order",
                              "description", "values"}
    assert attribute["datatype"] == "singlevaluelist" and {v["key"] for v in attribute["values"]} == {
        "normal", "urgent", "complex"}
    root = xml_of(client.get(f"{BASE}/services/land.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "land"
    values = root.find("attributes").find("attribute").find("values").findall("value")
    assert [v.findtext("key") for v in values] == ["normal", "urgent", "complex"]
    assert client.get(f"{BASE}/services/weather.json").status_code == 404


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_posting_a_request_needs_a_valid_api_key(client, world, api_key):
    for key in ("", "o311_wrong"):
        response = post(client, api_key=key, service_code="land", address_id=world.village_a1.code,
                        description="Sạt lở")
        assert response.status_code == 403
        assert response.json()[0]["code"] == 403
    assert Petition.objects.count() == 0


def test_a_revoked_key_or_one_of_another_province_is_refused(client, world, api_key):
    key = ApiKey.objects.get(kind="open311")
    keys.key_revoke(actor=None, key=key)
    assert post(client, api_key=api_key, service_code="land", address_id=world.village_a1.code,
                description="x").status_code == 403
    _other, other_key = keys.key_create(actor=None, province=world.other_province, name="Lào Cai")
    response = post(client, api_key=other_key, jurisdiction_id=world.province.code, service_code="land",
                    address_id=world.village_a1.code, description="x")
    assert response.status_code == 403 and Petition.objects.count() == 0


def test_posting_a_request_files_a_concern_and_answers_like_the_spec(client, world, api_key):
    response = post(client, api_key=api_key, jurisdiction_id=world.province.code, service_code="infrastructure",
                    address_id=world.village_a1.code, description="Cầu tràn hỏng", first_name="Sử",
                    last_name="Vàng Seo", phone="0911000111", device_id="tt222111", **{"attribute[urgency]": "urgent"})
    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == {"service_request_id", "service_notice", "account_id"} and row["account_id"] is None
    petition = Petition.objects.get(code=row["service_request_id"])
    assert (petition.channel, petition.unit, petition.urgency, petition.citizen_phone) == (
        "open311", world.village_a1, "urgent", "0911000111")
    assert petition.pin in row["service_notice"]


def test_posting_xml_answers_service_requests_of_request(client, world, api_key):
    root = xml_of(post(client, "xml", api_key=api_key, service_code="land", address_string="Thôn Cốc Pảng, xã "
                       "Nghĩa Thuận", description="Tranh chấp đất"))
    request = root.find("request")
    assert root.tag == "service_requests" and request.findtext("service_request_id").startswith("PAKN.")
    assert request.find("account_id") is not None and not request.findtext("account_id")
    assert Petition.objects.get().unit == world.village_a2


def test_lat_long_finds_the_nearest_place(client, world, api_key):
    from gandan.org.models import AdminUnit

    AdminUnit.objects.filter(pk=world.village_a1.pk).update(latitude=22.70, longitude=104.98)
    AdminUnit.objects.filter(pk=world.village_b1.pk).update(latitude=23.10, longitude=105.20)
    post(client, api_key=api_key, service_code="land", lat="23.09", long="105.19", description="Đất")
    petition = Petition.objects.get()
    assert petition.unit == world.village_b1 and petition.latitude == 23.09


@pytest.mark.parametrize(("change", "status"), [
    ({"service_code": ""}, 400), ({"service_code": "weather"}, 404), ({"address_id": ""}, 400),
    ({"description": ""}, 400), ({"attribute[urgency]": "panic"}, 400), ({"jurisdiction_id": "nowhere"}, 404),
])
def test_bad_requests_are_refused_with_the_spec_codes(client, world, api_key, change, status):
    data = {"api_key": api_key, "service_code": "land", "address_id": world.village_a1.code, "description": "Đất"}
    data.update(change)
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == status
    assert response.json()[0]["code"] == status and Petition.objects.count() == 0


@pytest.fixture
def filed(world):
    first = receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111", field="infrastructure")
    second = receive(world, field="land", text="Đất")
    services.petition_route_out(actor=world.commune_a_leader, petition=second, kind="complaint",
                                reason="Theo Luật Khiếu nại")
    return first, Petition.objects.get(pk=second.pk)


def test_listing_requests_returns_the_spec_fields_and_nothing_personal(client, world, filed):
    rows = client.get(f"{BASE}/requests.json").json()
    assert len(rows) == 2 and all(set(r) == REQUEST_KEYS for r in rows)
    first = next(r for r in rows if r["service_request_id"] == filed[0].code)
    assert first["status"] == "open" and first["agency_responsible"] == "UBND xã Nghĩa Thuận"
    assert first["description"] is None and first["address_id"] == world.village_a1.code
    assert dt.datetime.fromisoformat(first["expected_datetime"]) == filed[0].due_at
    assert first["requested_datetime"].endswith("+07:00")
    body = client.get(f"{BASE}/requests.json").content.decode()
    assert "0911000111" not in body and "Vàng Seo Sử" not in body and filed[0].pin not in body


def test_listing_requests_in_xml(client, world, filed):
    root = xml_of(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 2 and {child.tag for child in requests[0]} == REQUEST_KEYS
    closed = next(r for r in requests if r.findtext("service_request_id") == filed[1].code)
    assert closed.findtext("status") == "closed" and "Luật Khiếu nại" in closed.findtext("status_notes")
    assert closed.findtext("description") in ("", None)


def test_request_filters(client, world, filed):
    get = lambda **params: [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()]  # noqa: E731
    first, second = filed
    assert get(status="open") == [first.code]
    assert get(status="closed") == [second.code]
    assert get(service_code="land") == [second.code]
    assert sorted(get(service_request_id=f"{first.code},{second.code}", status="open")) == sorted(
        [first.code, second.code])  # the id list overrides the other filters
    now = timezone.now()
    assert set(get(start_date=(now - dt.timedelta(days=1)).isoformat(),
                   end_date=(now + dt.timedelta(days=1)).isoformat())) == {first.code, second.code}
    assert get(start_date=(now + dt.timedelta(days=1)).isoformat()) == []
    Petition.objects.filter(pk=first.pk).update(received_at=now - dt.timedelta(days=100))
    assert get() == [second.code]  # the default window is the last 90 days


@pytest.mark.parametrize("params", [{"start_date": "yesterday"}, {"start_date": "2025-01-01T00:00:00"},
                                    {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
                                    {"status": "pending"}])
def test_bad_filters_are_400(client, world, params):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_one_request_by_its_tracking_code(client, world, filed):
    first = filed[0]
    [row] = client.get(f"{BASE}/requests/{first.code}.json").json()
    assert row["service_request_id"] == first.code
    root = xml_of(client.get(f"{BASE}/requests/{first.code}.xml"))
    assert root.find("request").findtext("service_request_id") == first.code
    missing = client.get(f"{BASE}/requests/PAKN.20250101.9999.xml")
    assert missing.status_code == 404 and xml_of(missing).tag == "errors"


def test_the_command_creates_a_key_shown_once_and_stored_hashed(world):
    out = io.StringIO()
    call_command("open311_key", "create", "--province", world.province.code, "--name", "FixMyStreet VN", stdout=out)
    plaintext = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert plaintext.startswith("o311_") and key.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in str(list(ApiKey.objects.values_list("key_hash", "prefix", "name")))
    assert keys.key_lookup(plaintext) == key
    assert (key.kind, key.user, key.open311_client.province) == ("open311", None, world.province)


def test_the_key_command_answers_in_one_language(world):
    from django.core.management import CommandError
    from django.utils import translation

    with pytest.raises(CommandError, match="^Không tìm thấy khóa$"):
        call_command("open311_key", "revoke", "khong-co")
    with translation.override("en"), pytest.raises(CommandError, match="^No such key$"):
        call_command("open311_key", "revoke", "khong-co")
