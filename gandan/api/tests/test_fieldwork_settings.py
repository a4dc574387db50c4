"""/api/v1/fieldwork: the capture form's topics and places, the province's quotas and month locks."""

from __future__ import annotations

import json

import pytest

from gandan.fieldwork.models import ChecklistTopic, MonthLock, Quota
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork"


def test_topics_are_the_defaults_until_the_province_sets_its_own(world, bearer):
    client = bearer(world.commune_a_cadre)
    assert [t["code"] for t in client.get(f"{API}/topics").json()][:2] == ["security", "living"]
    ChecklistTopic.objects.create(province=world.province, code="water", name_vi="Nước sạch", name_en="Clean water")
    assert client.get(f"{API}/topics").json() == [{"code": "water", "name": "Nước sạch"}]
    assert client.get(f"{API}/topics", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_places_are_the_callers_own_and_empty_without_a_cadre(world, bearer):
    body = bearer(world.commune_a_cadre).get(f"{API}/places").json()
    assert body["cadre"] == world.cadre_a.pk
    assert {u["name"] for u in body["units"]} == {"Xã Nghĩa Thuận", "Thôn Nậm Lìn", "Thôn Cốc Pảng"}
    assert bearer(world.commune_a_leader).get(f"{API}/places").json() == {
        "cadre": None, "units": [], "households": [], "follows": False}


def test_quotas_read_the_defaults_and_the_committee_sets_one(world, bearer):
    client = bearer(world.province_committee)
    levels = {(q["level"], q["employment_type"]): q for q in client.get(f"{API}/quotas").json()}
    assert levels[("commune", "")]["field_days_per_month"] == 3

    response = client.put(f"{API}/quotas", json.dumps({"level": "commune", "field_days_per_month": 4,
                                                        "visits_per_month": 8, "meeting_attendance_pct": 100}),
                          content_type="application/json")

    assert response.status_code == 200
    assert Quota.objects.get(province=world.province, level="commune").visits_per_month == 8
    assert Quota.objects.filter(province=world.province, level="province").exists()


def test_a_commune_leader_cannot_set_quotas(world, bearer):
    response = bearer(world.commune_a_leader).put(f"{API}/quotas", json.dumps({
        "level": "commune", "field_days_per_month": 0, "visits_per_month": 0, "meeting_attendance_pct": 0}),
        content_type="application/json")
    assert response.status_code == 403
    assert not Quota.objects.exists()


def test_the_quotas_of_another_province_are_not_found(world, bearer):
    assert bearer(world.other_province_leader).get(f"{API}/quotas", {"province": world.province.pk}).status_code \
        == 404
    assert bearer(world.nobody).get(f"{API}/quotas").status_code == 404


def test_a_province_administrator_locks_a_month(world, bearer):
    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    client = bearer(admin)
    response = client.post(f"{API}/month-locks", json.dumps({"month": "2025-09-18"}), content_type="application/json")

    assert response.status_code == 201
    assert response.json()["month"] == "2025-09-01"
    assert MonthLock.objects.get().province == world.province
    assert [lock["month"] for lock in client.get(f"{API}/month-locks").json()] == ["2025-09-01"]


@pytest.mark.parametrize("who", ["province_committee", "commune_b_admin", "commune_a_cadre"])
def test_others_cannot_lock_a_month(world, bearer, who):
    response = bearer(getattr(world, who)).post(f"{API}/month-locks", json.dumps({"month": "2025-09-01"}),
                                                content_type="application/json")
    assert response.status_code == 403
    assert not MonthLock.objects.exists()
