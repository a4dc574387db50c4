"""/api/v1/agencies/{id}: one agency, seen from inside and outside the caller's scope."""

from __future__ import annotations

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized

pytestmark = pytest.mark.django_db
API = "/api/v1/agencies"


def test_agency_in_scope_with_its_fields_of_competence(world, api_as):
    response = api_as(world.commune_a_viewer).get(f"{API}/{world.agency_a.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "UBND xã Nghĩa Thuận"

    department = api_as(world.department_handler).get(f"{API}/{world.agency_province.pk}").json()
    assert department["kind"] == "department"
    assert department["fields"] == ["land", "environment"]


def test_an_agency_above_the_callers_unit_is_outside_scope(world, api_as):
    assert_hidden(api_as(world.commune_a_leader), f"{API}/{world.agency_province.pk}", f"{API}/{MISSING_ID}")


@pytest.mark.parametrize("outsider", ["commune_b_admin", "other_province_leader", "nobody"])
def test_agency_outside_scope_is_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{world.agency_a.pk}", f"{API}/{MISSING_ID}")


def test_agency_needs_a_caller(world):
    assert_unauthorized(Client().get(f"{API}/{world.agency_a.pk}"))
