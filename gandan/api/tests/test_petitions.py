"""/api/v1/petitions: every route with its scope — out of scope answers exactly as missing, no caller
is a 401, department handlers see what their department holds, contact only for handlers, 409 on a
concurrent step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gandan.api.errors import NOT_FOUND, UNAUTHORIZED
from gandan.people.tokens import token_create
from gandan.petitions import services
from gandan.petitions.models import Petition
from gandan.petitions.testing import ROAD, receive

pytestmark = pytest.mark.django_db
API = "/api/v1/petitions"
MISSING = 987654321
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


def api_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user) -> Client:
    _token, key = token_create(actor=user, name="điện thoại")
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def concern(world) -> Petition:
    return receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111", source_ref="visit-9")


def post(client: Client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


ROUTES = [("get", "{id}"), ("post", "{id}/accept"), ("post", "{id}/handle"), ("post", "{id}/escalate"),
          ("post", "{id}/transfer"), ("post", "{id}/answer"), ("post", "{id}/rate"), ("post", "{id}/route-out"),
          ("post", "{id}/merge")]
BODIES: dict[str, dict[str, Any]] = {
    "accept": {}, "handle": {}, "escalate": {"note": "x"}, "transfer": {"note": "x"}, "answer": {"text": "x"},
    "rate": {"satisfied": True}, "route-out": {"kind": "complaint", "reason": "x"}, "merge": {"target": "x"}}


def call(client: Client, method: str, path: str):
    if method == "get":
        return client.get(f"{API}/{path}")
    return post(client, f"{API}/{path}", BODIES[path.rsplit("/", 1)[-1]])


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_every_route_answers_an_outsider_exactly_as_a_missing_concern(world, concern, outsider, method, route):
    client = api_as(getattr(world, outsider))
    hidden = call(client, method, route.format(id=concern.pk))
    missing = call(client, method, route.format(id=MISSING))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content and hidden.json() == {"detail": NOT_FOUND}
    assert Petition.objects.get(pk=concern.pk).version == 1


@pytest.mark.parametrize(("method", "route"), [*ROUTES, ("get", ""), ("get", "rates"), ("post", "")])
def test_every_route_needs_a_caller(world, concern, method, route):
    client = Client()
    path = route.format(id=concern.pk)
    response = client.get(f"{API}/{path}".rstrip("/")) if method == "get" else post(
        client, f"{API}/{path}".rstrip("/"), BODIES.get(path.rsplit("/", 1)[-1], {}))
    assert response.status_code == 401 and response.json() == {"detail": UNAUTHORIZED}


def test_the_list_is_the_callers_scope(world, concern):
    receive(world, unit=world.village_b1, actor=world.province_committee, text="Quản Bạ")
    codes = lambda user: {row["code"] for row in api_as(user).get(API).json()["items"]}  # noqa: E731
    assert codes(world.commune_a_viewer) == {concern.code}
    assert len(codes(world.province_committee)) == 2
    assert codes(world.other_province_leader) == set()
    assert codes(world.department_handler) == set()


def test_a_department_handler_sees_and_acts_on_what_the_department_holds(world):
    land = services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land", text="Đất"))
    services.petition_transfer(actor=world.commune_a_leader, petition=land, note="Sở")
    client = bearer(world.department_handler)
    listed = client.get(API, {"box": "department"}).json()
    assert [row["code"] for row in listed["items"]] == [land.code]
    accepted = post(client, f"{API}/{land.pk}/accept", {"version": land.version + 1})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    answered = post(client, f"{API}/{land.pk}/answer", {"text": "Sở đã kiểm tra, cấp lại giấy."})
    assert answered.json()["status"] == "answered"


def test_the_contact_is_shown_only_to_handlers(world, concern):
    leader = api_as(world.commune_a_leader).get(f"{API}/{concern.pk}").json()
    assert (leader["contact_visible"], leader["citizen_phone"], leader["pin"]) == (True, "0911000111", None)
    viewer = api_as(world.commune_a_viewer).get(f"{API}/{concern.pk}").json()
    assert (viewer["contact_visible"], viewer["citizen_name"], viewer["citizen_phone"], viewer["pin"]) == (
        False, None, None, None)
    assert viewer["actions"] == [] and "accept" in leader["actions"]


def test_creating_is_idempotent_by_source_ref(world):
    client = bearer(world.commune_a_cadre)
    body = {"unit_id": world.village_a1.pk, "text": ROAD, "field": "infrastructure", "source_ref": "uuid-1"}
    first, again = post(client, API, body), post(client, API, body)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Petition.objects.count() == 1
    assert first.json()["events"][0]["action"] == "receive"


def test_creating_in_a_unit_outside_scope_is_missing_and_bad_input_is_422(world):
    client = api_as(world.commune_b_admin)
    body = {"unit_id": world.village_a1.pk, "text": ROAD, "field": "infrastructure"}
    assert post(client, API, body).json() == {"detail": NOT_FOUND}
    cadre = api_as(world.commune_a_cadre)
    bad = post(cadre, API, {**body, "field": "weather"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "field"]
    viewer = post(api_as(world.commune_a_viewer), API, body)
    assert viewer.status_code == 403
    assert Petition.objects.count() == 0


def test_steps_through_the_api_and_a_stale_version_is_409(world, concern):
    client = api_as(world.commune_a_leader)
    assert post(client, f"{API}/{concern.pk}/accept", {"version": 1}).json()["version"] == 2
    stale = post(client, f"{API}/{concern.pk}/handle", {"version": 1})
    assert stale.status_code == 409 and "tải lại" in stale.json()["detail"]
    escalate = post(client, f"{API}/{concern.pk}/escalate", {"note": ""})
    assert escalate.status_code == 422
    answer = post(client, f"{API}/{concern.pk}/answer", {"text": "Đã sửa", "version": 2})
    assert answer.status_code == 200 and answer.json()["answers"][0]["text"] == "Đã sửa"
    refused = post(client, f"{API}/{concern.pk}/rate", {"satisfied": False})
    assert refused.status_code == 403  # the answering commune never rates its own answer for the citizen
    call_at = timezone.now().isoformat()
    rated = post(api_as(world.province_committee), f"{API}/{concern.pk}/rate", {
        "satisfied": False, "call_at": call_at, "call_number": "0911000111", "call_note": "Chưa sửa xong"})
    assert rated.json()["status"] == "reopened"


def test_transfer_route_out_and_merge_through_the_api(world, concern):
    client = api_as(world.commune_a_leader)
    other = receive(world, text="Đường thôn Nậm Lìn sạt lở lần nữa")
    merged = post(client, f"{API}/{other.pk}/merge", {"target": concern.code})
    assert merged.status_code == 200 and merged.json()["merged_into"] == concern.code
    routed = post(client, f"{API}/{concern.pk}/route-out", {"kind": "denunciation", "reason": "Theo Luật Tố cáo"})
    assert routed.json()["status"] == "routed_out"
    land = services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land", text="Đất"))
    moved = post(client, f"{API}/{land.pk}/transfer", {"note": "Sở", "agency_id": world.agency_province.pk})
    assert moved.json()["holder_agency_id"] == world.agency_province.pk


def test_rates_through_the_api(world, concern):
    body = api_as(world.province_committee).get(f"{API}/rates").json()
    assert body["units"][0]["name"] == "Xã Nghĩa Thuận" and body["units"][0]["received"] == 1
    assert body["total"]["received"] == 1
    hidden = api_as(world.commune_b_admin).get(f"{API}/rates", {"unit": world.commune_a.pk})
    missing = api_as(world.commune_b_admin).get(f"{API}/rates", {"unit": MISSING})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content


def test_the_routes_are_documented(world):
    client = api_as(world.province_committee)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{API}", f"{API}/rates", f"{API}/{{petition_id}}/escalate", f"{API}/{{petition_id}}/merge"} <= set(paths)
