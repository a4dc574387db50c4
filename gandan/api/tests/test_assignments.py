"""/api/v1/assignments: rules, assignments, coverage and proposals; every route refuses outsiders
with the very 404 of a missing object, and callers without credentials with 401."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized
from gandan.assignments.models import Assignment, AssignmentRule
from gandan.assignments.testing import make_assignment
from gandan.core.models import AuditEvent
from gandan.org.testing import make_household
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
API = "/api/v1/assignments"
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]
JSON = "application/json"


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


# -- rules ----------------------------------------------------------------------------------------
def test_rules_default_to_the_two_tier_set(world, api_as):
    body = api_as(world.province_committee).get(f"{API}/rules/{world.province.pk}").json()
    assert body["is_default"] is True
    assert [(r["agency_level"], r["target_level"]) for r in body["rules"]] == [
        ("province", "commune"), ("commune", "village"), ("commune", "household")]


def test_a_leader_of_the_province_replaces_the_rules(world, api_as):
    from gandan.people.models import Role, RoleGrant

    RoleGrant.objects.create(user=world.province_committee, role=Role.LEADER, unit=world.province)
    rules = [{"agency_level": "province", "target_level": "commune", "load_cap": 3},
             {"agency_level": "district", "target_level": "village"}]
    response = api_as(world.province_committee).put(f"{API}/rules/{world.province.pk}", {"rules": rules},
                                                   content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["is_default"] is False
    assert set(AssignmentRule.objects.values_list("agency_level", "target_level", "load_cap")) == {
        ("province", "commune", 3), ("district", "village", None)}


def test_rules_that_make_no_sense_are_refused_with_422(world, api_as):
    from gandan.people.models import Role, RoleGrant

    RoleGrant.objects.create(user=world.province_committee, role=Role.UNIT_ADMIN, unit=world.province)
    response = api_as(world.province_committee).put(
        f"{API}/rules/{world.province.pk}", {"rules": [{"agency_level": "commune", "target_level": "commune"}]},
        content_type=JSON)
    assert response.status_code == 422 and not AssignmentRule.objects.exists()


def test_rules_of_a_commune_are_not_found(world, api_as):
    client = api_as(world.province_committee)
    assert_hidden(client, f"{API}/rules/{world.commune_a.pk}", f"{API}/rules/{MISSING_ID}")


def test_only_an_administrator_or_leader_of_the_province_writes_rules(world, api_as):
    response = api_as(world.commune_b_admin).put(f"{API}/rules/{world.province.pk}", {"rules": []},
                                                 content_type=JSON)
    assert response.status_code == 404  # the province lies above the commune admin's scope
    response = api_as(world.province_committee).put(
        f"{API}/rules/{world.province.pk}", {"rules": [{"agency_level": "province", "target_level": "commune"}]},
        content_type=JSON)
    assert response.status_code == 403 and not AssignmentRule.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_rules_outside_scope_are_answered_as_missing(world, api_as, outsider):
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/rules/{world.province.pk}", f"{API}/rules/{MISSING_ID}")


# -- assignments ----------------------------------------------------------------------------------
def test_a_leader_creates_an_assignment_and_reads_it_back(world, api_as):
    client = api_as(world.commune_a_leader)
    response = post(client, API, {"cadre_id": world.cadre_a.pk, "unit_id": world.village_a1.pk,
                                  "start": "2026-01-05"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target_name"] == "Thôn Nậm Lìn" and body["role"] == "primary" and body["end"] is None
    a = Assignment.objects.get()
    assert (a.cadre, a.unit, a.start, a.created_by) == (world.cadre_a, world.village_a1, dt.date(2026, 1, 5),
                                                         world.commune_a_leader)
    assert client.get(f"{API}/{a.pk}").json()["id"] == a.pk


def test_a_household_assignment_by_token(world, bearer):
    from gandan.people.models import Role, RoleGrant

    RoleGrant.objects.create(user=world.commune_a_leader, role=Role.UNIT_ADMIN, unit=world.commune_a)
    client = bearer(world.commune_a_leader)
    response = post(client, API, {"cadre_id": world.cadre_a.pk, "household_id": world.household_a1.pk,
                                  "role": "supporting"})
    assert response.status_code == 201, response.content
    assert Assignment.objects.get().household == world.household_a1


def test_a_rule_violation_is_a_422_naming_the_problem(world, api_as):
    response = post(api_as(world.commune_a_leader), API, {"cadre_id": world.cadre_a.pk,
                                                           "unit_id": world.commune_a.pk})
    assert response.status_code == 422
    assert "không cho cán bộ cấp xã theo dõi xã" in str(response.json())
    assert not Assignment.objects.exists()


def test_a_viewer_may_not_assign(world, api_as):
    response = post(api_as(world.commune_a_viewer), API, {"cadre_id": world.cadre_a.pk,
                                                          "unit_id": world.village_a1.pk})
    assert response.status_code == 403 and not Assignment.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_creating_on_targets_outside_scope_answers_as_missing(world, api_as, outsider):
    client = api_as(getattr(world, outsider))
    hidden = post(client, API, {"cadre_id": world.cadre_a.pk, "unit_id": world.village_a1.pk})
    missing = post(client, API, {"cadre_id": MISSING_ID, "unit_id": MISSING_ID})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert not Assignment.objects.exists()


def test_creating_for_a_household_outside_scope_answers_as_missing(world, api_as):
    client = api_as(world.commune_b_admin)
    hidden = post(client, API, {"cadre_id": world.cadre_b.pk, "household_id": world.household_a1.pk})
    missing = post(client, API, {"cadre_id": world.cadre_b.pk, "household_id": MISSING_ID})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content


def test_the_list_filters_by_unit_cadre_role_and_state(world, api_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1, role="supporting")
    make_assignment(world.cadre_b, unit=world.village_b1, end=dt.date(2025, 9, 1))
    client = api_as(world.province_committee)
    assert client.get(API).json()["count"] == 2
    assert client.get(API, {"state": "all"}).json()["count"] == 3
    assert client.get(API, {"state": "ended"}).json()["items"][0]["cadre_name"] == "Lý Thị Mai"
    assert client.get(API, {"role": "supporting"}).json()["items"][0]["target_level"] == "household"
    assert client.get(API, {"unit": world.commune_b.pk, "state": "all"}).json()["count"] == 1
    assert client.get(API, {"cadre": world.cadre_a.pk}).json()["count"] == 2
    assert api_as(world.commune_b_admin).get(API, {"state": "all"}).json()["count"] == 1


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_assignment_routes_outside_scope_answer_as_missing(world, api_as, outsider):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    client = api_as(getattr(world, outsider))
    assert_hidden(client, f"{API}/{a.pk}", f"{API}/{MISSING_ID}")
    assert_hidden(client, f"{API}?unit={world.commune_a.pk}", f"{API}?unit={MISSING_ID}")
    assert_hidden(client, f"{API}?cadre={world.cadre_a.pk}", f"{API}?cadre={MISSING_ID}")
    hidden, missing = post(client, f"{API}/{a.pk}/end", {}), post(client, f"{API}/{MISSING_ID}/end", {})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    a.refresh_from_db()
    assert a.end is None


def test_ending_an_assignment_keeps_it(world, api_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    response = post(api_as(world.commune_a_leader), f"{API}/{a.pk}/end", {"on": "2026-02-01"})
    assert response.status_code == 200 and response.json()["end"] == "2026-02-01"
    a.refresh_from_db()
    assert a.end == dt.date(2026, 2, 1)
    again = post(api_as(world.commune_a_leader), f"{API}/{a.pk}/end", {"on": "2026-03-01"})
    assert again.status_code == 422 and "đã kết thúc" in str(again.json())


def test_a_viewer_cannot_end(world, api_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    assert post(api_as(world.commune_a_viewer), f"{API}/{a.pk}/end", {}).status_code == 403
    a.refresh_from_db()
    assert a.end is None


# -- coverage -------------------------------------------------------------------------------------
def test_coverage_of_a_commune(world, api_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    body = api_as(world.commune_a_viewer).get(f"{API}/coverage/{world.commune_a.pk}").json()
    assert body["levels"] == [{"level": "village", "covered": 1, "total": 2, "rate": 0.5},
                              {"level": "household", "covered": 0, "total": 1, "rate": 0.0}]
    assert {c["name"]: c["covered"] for c in body["children"]} == {"Thôn Nậm Lìn": True, "Thôn Cốc Pảng": False}
    assert body["followers"][0]["primary"] == {"village": 1}
    assert [x["level"] for x in body["loads"]] == ["village", "household"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_coverage_outside_scope_answers_as_missing(world, api_as, outsider):
    client = api_as(getattr(world, outsider))
    assert_hidden(client, f"{API}/coverage/{world.commune_a.pk}", f"{API}/coverage/{MISSING_ID}")


# -- proposals ------------------------------------------------------------------------------------
@pytest.fixture
def crowded(world):
    """Commune B with four household gaps and two more cadres."""
    for i in range(3):
        make_household(world.village_b1, f"Hộ {i}")
    return [world.cadre_b, make_cadre(world.agency_b, "Sùng Mí Pó"), make_cadre(world.agency_b, "Vừ Thị Sua")]


def test_a_proposal_fills_the_gaps_and_saves_nothing(world, api_as, crowded):
    response = post(api_as(world.commune_b_admin), f"{API}/proposals",
                    {"unit_id": world.commune_b.pk, "level": "household"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_gaps"] == body["filled"] == 4
    assert {p["cadre_id"] for p in body["picks"]} == {c.pk for c in crowded}
    assert all(set(p["options"]) == {c.pk for c in crowded} for p in body["picks"])
    assert not Assignment.objects.exists()


def test_accepting_a_proposal_writes_every_pick_in_one_step(world, api_as, crowded):
    client = api_as(world.commune_b_admin)
    picks = post(client, f"{API}/proposals", {"unit_id": world.commune_b.pk, "level": "household"}).json()["picks"]
    picks[0]["cadre_id"] = crowded[2].pk  # the user edits one row
    response = post(client, f"{API}/proposals/accept", {"unit_id": world.commune_b.pk, "picks": [
        {"kind": p["kind"], "target_id": p["target_id"], "cadre_id": p["cadre_id"]} for p in picks]})
    assert response.status_code == 201, response.content
    assert Assignment.objects.filter(role="primary", household__village=world.village_b1).count() == 4
    assert Assignment.objects.get(household_id=picks[0]["target_id"]).cadre == crowded[2]
    assert AuditEvent.objects.filter(action="assignment.proposal_accept").count() == 1


def test_a_proposal_with_a_bad_row_is_refused_whole(world, api_as, crowded):
    client = api_as(world.commune_b_admin)
    response = post(client, f"{API}/proposals/accept", {"unit_id": world.commune_b.pk, "picks": [
        {"kind": "household", "target_id": world.household_b1.pk, "cadre_id": crowded[0].pk},
        {"kind": "unit", "target_id": world.village_b1.pk, "cadre_id": world.cadre_a.pk}]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "picks", 1, "ma_can_bo"]
    assert not Assignment.objects.exists()


def test_accepting_targets_outside_the_proposal_s_unit_is_refused(world, api_as, crowded):
    from gandan.people.models import Role, RoleGrant

    RoleGrant.objects.create(user=world.commune_b_admin, role=Role.UNIT_ADMIN, unit=world.commune_a)
    response = post(api_as(world.commune_b_admin), f"{API}/proposals/accept", {"unit_id": world.commune_b.pk,
                    "picks": [{"kind": "household", "target_id": world.household_a1.pk, "cadre_id": world.cadre_a.pk}]})
    assert response.status_code == 422 and not Assignment.objects.exists()


def test_a_viewer_cannot_ask_for_or_accept_a_proposal(world, api_as):
    client = api_as(world.commune_a_viewer)
    assert post(client, f"{API}/proposals", {"unit_id": world.commune_a.pk, "level": "village"}).status_code == 403
    response = post(client, f"{API}/proposals/accept", {"unit_id": world.commune_a.pk, "picks": [
        {"kind": "unit", "target_id": world.village_a1.pk, "cadre_id": world.cadre_a.pk}]})
    assert response.status_code == 403 and not Assignment.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_proposals_outside_scope_answer_as_missing(world, api_as, outsider):
    client = api_as(getattr(world, outsider))
    for url, data in ((f"{API}/proposals", {"level": "village"}), (f"{API}/proposals/accept", {"picks": [
            {"kind": "unit", "target_id": world.village_a1.pk, "cadre_id": world.cadre_a.pk}]})):
        hidden = post(client, url, {**data, "unit_id": world.commune_a.pk})
        missing = post(client, url, {**data, "unit_id": MISSING_ID})
        assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert not Assignment.objects.exists()


# -- no caller ------------------------------------------------------------------------------------
@pytest.mark.parametrize("method,url", [
    ("get", "/rules/1"), ("put", "/rules/1"), ("get", ""), ("post", ""), ("get", "/1"), ("post", "/1/end"),
    ("get", "/coverage/1"), ("post", "/proposals"), ("post", "/proposals/accept")])
def test_every_route_needs_a_caller(db, method, url):
    client = Client()
    response = client.get(API + url) if method == "get" else getattr(client, method)(API + url, "{}", JSON)
    assert_unauthorized(response)
