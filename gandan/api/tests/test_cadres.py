"""/api/v1/cadres: the list (by unit, by name, paged) and one cadre, with personal data shown only
to the cadre themself and to write roles over the cadre's unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized
from gandan.people.models import Cadre
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
API = "/api/v1/cadres"
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


@pytest.fixture
def cadre_a(world) -> Cadre:
    """Sân Tiến Phúc with every personal field filled in."""
    Cadre.objects.filter(pk=world.cadre_a.pk).update(
        email="phuc@example.vn", birth_date=dt.date(1990, 5, 17), home_unit=world.village_a1,
        office_phone="0219 3846 112")
    return Cadre.objects.get(pk=world.cadre_a.pk)


def test_cadres_of_a_unit(world, api_as):
    response = api_as(world.commune_a_viewer).get(API, {"unit": world.commune_a.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["full_name"] for row in body["items"]] == ["Sân Tiến Phúc"]
    assert body["items"][0]["agency_name"] == "UBND xã Nghĩa Thuận"


def test_cadres_found_by_name_without_diacritics_across_the_scope(world, api_as):
    response = api_as(world.province_committee).get(API, {"q": "san tien"})
    assert [row["full_name"] for row in response.json()["items"]] == ["Sân Tiến Phúc"]


def test_cadres_without_a_unit_are_all_those_in_scope(world, api_as):
    body = api_as(world.province_committee).get(API).json()
    assert {row["full_name"] for row in body["items"]} == {"Sân Tiến Phúc", "Lý Thị Mai", "Hoàng Văn Đức"}


def test_cadres_who_left_are_not_listed(world, api_as):
    Cadre.objects.filter(pk=world.cadre_b.pk).update(left_on=dt.date(2025, 1, 1))
    body = api_as(world.province_committee).get(API).json()
    assert "Lý Thị Mai" not in {row["full_name"] for row in body["items"]}


def test_cadre_list_is_paged(world, api_as):
    for i in range(7):
        make_cadre(world.agency_a, f"Nguyễn Văn {chr(65 + i)}")
    client = api_as(world.commune_a_leader)

    first = client.get(API, {"unit": world.commune_a.pk, "limit": 5}).json()
    second = client.get(API, {"unit": world.commune_a.pk, "limit": 5, "offset": 5}).json()

    assert first["count"] == second["count"] == 8
    ids = [row["id"] for row in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 8


def test_a_user_without_grants_lists_no_cadres(world, api_as):
    assert api_as(world.nobody).get(API).json() == {"items": [], "count": 0}


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_cadres_of_a_unit_outside_scope_are_answered_as_missing(world, api_as, outsider):
    client = api_as(getattr(world, outsider))
    assert_hidden(client, f"{API}?unit={world.commune_a.pk}", f"{API}?unit={MISSING_ID}")


def test_cadre_list_needs_a_caller(world):
    assert_unauthorized(Client().get(API))


def test_cadre_detail(world, api_as, cadre_a):
    response = api_as(world.commune_a_viewer).get(f"{API}/{cadre_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Sân Tiến Phúc"
    assert body["position"] == "Công chức Văn phòng - Thống kê"
    assert body["is_party_member"] is True
    assert body["party_cell_id"] == world.party_cell_a.pk


def test_a_viewer_sees_the_phone_masked_and_no_other_personal_data(world, api_as, cadre_a):
    body = api_as(world.commune_a_viewer).get(f"{API}/{cadre_a.pk}").json()
    assert body["personal_data_visible"] is False
    assert body["phone"] == "0912•••678"
    assert body["email"] is None
    assert body["birth_date"] is None
    assert body["home_unit_id"] is None
    assert body["office_phone"] == "0219 3846 112"


def test_personal_data_is_masked_in_the_list_too(world, api_as, cadre_a):
    row = api_as(world.commune_a_viewer).get(API, {"unit": world.commune_a.pk}).json()["items"][0]
    assert row["phone"] == "0912•••678"
    assert row["email"] is None and row["birth_date"] is None and row["home_unit_id"] is None


@pytest.mark.parametrize("persona", ["commune_a_leader", "province_committee", "department_handler",
                                     "commune_a_cadre"])
def test_leaders_admins_and_the_cadre_themself_see_personal_data(world, api_as, cadre_a, persona):
    body = api_as(getattr(world, persona)).get(f"{API}/{cadre_a.pk}").json()
    assert body["personal_data_visible"] is True
    assert body["phone"] == "0912345678"
    assert body["email"] == "phuc@example.vn"
    assert body["birth_date"] == "1990-05-17"
    assert body["home_unit_id"] == world.village_a1.pk


def test_a_cadre_role_does_not_open_a_colleagues_personal_data(world, api_as, cadre_a):
    colleague = make_cadre(world.agency_a, "Đỗ Thị Hoa", phone="0988111222")
    body = api_as(world.commune_a_cadre).get(f"{API}/{colleague.pk}").json()
    assert body["phone"] == "0988•••222"


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_cadre_outside_scope_is_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.cadre_a.pk}", f"{API}/{MISSING_ID}")


def test_cadre_detail_needs_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.cadre_a.pk}"))
