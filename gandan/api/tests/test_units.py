"""/api/v1/units: roots, one unit, children, subtree, search, agencies — each seen from inside
and outside the caller's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized
from gandan.org.services import unit_merge
from gandan.org.testing import make_unit

pytestmark = pytest.mark.django_db
API = "/api/v1/units"
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


def names(rows: list[dict]) -> set[str]:
    return {row["name"] for row in rows}


def test_roots_are_the_top_units_of_each_callers_scope(world, api_as):
    assert names(api_as(world.commune_a_leader).get(f"{API}/roots").json()) == {"Xã Nghĩa Thuận"}
    assert names(api_as(world.province_committee).get(f"{API}/roots").json()) == {"Tỉnh Tuyên Quang"}
    assert names(api_as(world.other_province_leader).get(f"{API}/roots").json()) == {"Tỉnh Lào Cai"}


def test_a_user_without_grants_has_no_roots(world, api_as):
    response = api_as(world.nobody).get(f"{API}/roots")
    assert response.status_code == 200
    assert response.json() == []


def test_roots_need_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/roots"))


def test_unit_detail_has_the_documented_fields(world, api_as):
    response = api_as(world.commune_a_viewer).get(f"{API}/{world.village_a1.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.village_a1.pk, "code": world.village_a1.code, "name": "Thôn Nậm Lìn", "level": "village",
        "division_type": "thôn", "parent_id": world.commune_a.pk, "path": world.village_a1.path,
        "valid_from": None, "valid_to": None, "successor_id": None,
    }


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_unit_outside_scope_is_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.commune_a.pk}", f"{API}/{MISSING_ID}")


def test_unit_detail_needs_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.commune_a.pk}"))


def test_children_are_the_current_units_directly_below(world, api_as):
    unit_merge(actor=None, sources=[world.village_a2], target=world.village_a1, effective=dt.date(2025, 7, 1))
    client = api_as(world.commune_a_leader)

    current = client.get(f"{API}/{world.commune_a.pk}/children").json()
    with_past = client.get(f"{API}/{world.commune_a.pk}/children?include_past=true").json()

    assert names(current) == {"Thôn Nậm Lìn"}
    assert names(with_past) == {"Thôn Nậm Lìn", "Thôn Cốc Pảng"}
    merged = next(row for row in with_past if row["name"] == "Thôn Cốc Pảng")
    assert merged["valid_to"] == "2025-07-01"
    assert merged["successor_id"] == world.village_a1.pk


def test_children_carry_their_own_child_counts(world, api_as):
    rows = api_as(world.province_committee).get(f"{API}/{world.province.pk}/children").json()
    assert {row["name"]: row["n_children"] for row in rows} == {"Xã Nghĩa Thuận": 2, "Xã Quản Bạ": 1}


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_children_of_a_unit_outside_scope_are_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.commune_a.pk}/children",
                  f"{API}/{MISSING_ID}/children")


def test_children_need_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.commune_a.pk}/children"))


def test_subtree_lists_every_unit_below_filtered_by_level(world, api_as):
    client = api_as(world.province_committee)

    everything = client.get(f"{API}/{world.province.pk}/subtree").json()
    villages = client.get(f"{API}/{world.province.pk}/subtree?level=village").json()

    assert everything["count"] == 5
    assert names(villages["items"]) == {"Thôn Nậm Lìn", "Thôn Cốc Pảng", "Thôn Lùng Cúng"}
    assert villages["count"] == 3


def test_subtree_is_paged_in_path_order_without_overlap(world, api_as):
    for i in range(5):
        make_unit("village", f"Thôn Mới {i}", world.commune_a)
    client = api_as(world.commune_a_leader)

    first = client.get(f"{API}/{world.commune_a.pk}/subtree?limit=3&offset=0").json()
    rest = client.get(f"{API}/{world.commune_a.pk}/subtree?limit=3&offset=3").json()

    assert first["count"] == rest["count"] == 7
    assert len(first["items"]) == 3 and len(rest["items"]) == 3
    paths = [row["path"] for row in first["items"] + rest["items"]]
    assert len(set(paths)) == 6
    assert all(p.startswith(world.commune_a.path + ".") for p in paths)


def test_subtree_refuses_a_page_larger_than_the_limit(world, api_as):
    response = api_as(world.commune_a_leader).get(f"{API}/{world.commune_a.pk}/subtree?limit=100000")
    assert response.status_code == 422


def test_subtree_leaves_out_merged_units_unless_asked(world, api_as):
    unit_merge(actor=None, sources=[world.village_a2], target=world.village_a1, effective=dt.date(2025, 7, 1))
    client = api_as(world.commune_a_leader)
    assert client.get(f"{API}/{world.commune_a.pk}/subtree").json()["count"] == 1
    assert client.get(f"{API}/{world.commune_a.pk}/subtree?include_past=true").json()["count"] == 2


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_subtree_of_a_unit_outside_scope_is_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.commune_a.pk}/subtree",
                  f"{API}/{MISSING_ID}/subtree")


def test_subtree_needs_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.province.pk}/subtree"))


def test_search_without_diacritics_finds_the_commune(world, api_as):
    response = api_as(world.province_committee).get(f"{API}/search", {"q": "nghia thuan"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["Xã Nghĩa Thuận"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_search_finds_nothing_outside_scope(world, api_as, outsider):
    response = api_as(getattr(world, outsider)).get(f"{API}/search", {"q": "nghia thuan"})
    assert response.status_code == 200
    assert response.json() == []


def test_search_needs_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/search", {"q": "nghia thuan"}))


def test_agencies_of_a_unit_with_their_public_phone(world, api_as):
    response = api_as(world.commune_a_viewer).get(f"{API}/{world.commune_a.pk}/agencies")
    assert response.status_code == 200
    assert response.json() == [{"id": world.agency_a.pk, "name": "UBND xã Nghĩa Thuận",
                                "kind": "peoples_committee", "unit_id": world.commune_a.pk, "fields": [],
                                "phone": "0219 3846 111"}]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_agencies_of_a_unit_outside_scope_are_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.commune_a.pk}/agencies",
                  f"{API}/{MISSING_ID}/agencies")


def test_agencies_of_a_unit_need_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.commune_a.pk}/agencies"))
