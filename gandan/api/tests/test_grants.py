"""/api/v1/grants: a unit administrator's grants, and the cross-unit rule of the accounts page."""

from __future__ import annotations

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_unauthorized
from gandan.core.models import AuditEvent
from gandan.people.models import Role, RoleGrant
from gandan.people.testing import make_cadre, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/grants"
REASON = "Biệt phái 6 tháng theo QĐ 12/QĐ-UBND"


def test_an_administrator_lists_the_grants_of_their_units_only(world, api_as):
    body = api_as(world.commune_b_admin).get(API).json()
    assert [(g["username"], g["role"]) for g in body["items"]] == [("commune_b_admin", Role.UNIT_ADMIN)]


@pytest.mark.parametrize("persona", ["commune_a_leader", "province_committee", "nobody"])
def test_those_who_administer_nothing_list_nothing(world, api_as, persona):
    assert api_as(getattr(world, persona)).get(API).json() == {"items": [], "count": 0}


def test_a_grant_to_a_cadre_of_the_unit_needs_no_reason(world, api_as):
    colleague = make_user("chuhm", cadre=make_cadre(world.agency_b, "Hầu Mí Chứ"))
    response = api_as(world.commune_b_admin).post(
        API, {"username": "chuhm", "role": Role.VIEWER, "unit_id": world.village_b1.pk},
        content_type="application/json")
    assert response.status_code == 201
    assert RoleGrant.objects.get(user=colleague).cross_unit_reason == ""


def test_a_grant_to_a_cadre_of_another_commune_needs_a_reason_kept_on_the_grant_and_in_the_audit(world, api_as):
    client = api_as(world.commune_b_admin)
    data = {"username": "commune_a_cadre", "role": Role.LEADER, "unit_id": world.commune_b.pk}
    refused = client.post(API, data,
        content_type="application/json")
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "cross_unit_reason"] and "xác nhận và ghi lý do" in error["msg"]
    assert not RoleGrant.objects.filter(user=world.commune_a_cadre, unit=world.commune_b).exists()

    done = client.post(API, {**data, "cross_unit_reason": REASON},
        content_type="application/json")
    assert done.status_code == 201 and done.json()["cross_unit_reason"] == REASON
    grant = RoleGrant.objects.get(user=world.commune_a_cadre, unit=world.commune_b)
    assert grant.cross_unit_reason == REASON
    assert AuditEvent.objects.get(action="grant.add").after["cross_unit_reason"] == REASON


def test_an_unknown_username_names_the_field(world, api_as):
    response = api_as(world.commune_b_admin).post(
        API, {"username": "khong-co", "role": Role.VIEWER, "unit_id": world.commune_b.pk},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "username"]


def test_a_unit_outside_the_administrators_units_is_answered_as_missing(world, api_as):
    client = api_as(world.commune_b_admin)
    hidden = client.post(API, {"username": "nobody", "role": Role.VIEWER, "unit_id": world.commune_a.pk},
                         content_type="application/json")
    missing = client.post(API, {"username": "nobody", "role": Role.VIEWER, "unit_id": MISSING_ID},
                          content_type="application/json")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert not RoleGrant.objects.filter(user=world.nobody).exists()


def test_an_administrator_ends_a_grant_of_their_units(world, api_as):
    colleague = make_user("chuhm", role=Role.VIEWER, unit=world.village_b1,
                          cadre=make_cadre(world.agency_b, "Hầu Mí Chứ"))
    grant = RoleGrant.objects.get(user=colleague)
    response = api_as(world.commune_b_admin).post(f"{API}/{grant.pk}/end")
    assert response.status_code == 200
    grant.refresh_from_db()
    assert grant.valid_to is not None


@pytest.mark.parametrize("outsider", ["commune_b_admin", "commune_a_leader", "other_province_leader"])
def test_a_grant_outside_the_administrators_units_cannot_be_ended(world, api_as, outsider):
    grant = RoleGrant.objects.get(user=world.commune_a_viewer)
    client = api_as(getattr(world, outsider))
    hidden = client.post(f"{API}/{grant.pk}/end")
    missing = client.post(f"{API}/{MISSING_ID}/end")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    grant.refresh_from_db()
    assert grant.valid_to is None


def test_grants_need_a_caller(world):
    assert_unauthorized(Client().get(API))
