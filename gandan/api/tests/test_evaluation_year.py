"""/api/v1/evaluation/year and /commendations: the year's results, the titles, the proposals and the
commendations through the API, scoped like the pages; a commendation is seen by the cadre, their
assessor, the leadership and the administrators, not by a viewer."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.campaigns.models import Decision
from gandan.evaluation.testing import conclude_month, open_month
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"


def test_compute_read_propose_and_commend_through_the_api(world, api_as):
    conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    with on(dt.date(2026, 12, 10)):
        leader = api_as(world.commune_a_leader)
        computed = leader.post(f"{API}/year/compute", {"agency_id": world.agency_a.pk, "year": 2026},
                               content_type="application/json")
        assert computed.status_code == 200
        (result,) = computed.json()
        assert (result["cadre_id"], result["months_counted"], result["grade"]) == (world.cadre_a.pk, 1, "good")
        assert [r["id"] for r in leader.get(f"{API}/year", {"year": 2026}).json()] == [result["id"]]
        detail = leader.get(f"{API}/year/{result['id']}").json()
        assert [t["code"] for t in detail["titles"]] == ["ldtt", "cstdcs", "gk_ct"] and detail["proposals"] == []
        refused = leader.post(f"{API}/year/{result['id']}/titles", {"title": "cstdcs"}, content_type="application/json")
        assert refused.status_code == 422  # excellent needed
        proposed = leader.post(f"{API}/year/{result['id']}/titles", {"title": "ldtt"}, content_type="application/json")
        assert proposed.status_code == 201 and proposed.json()["proposals"][0]["status"] == "proposed"
        body = {"number": "15/QĐ-UBND", "date": "2026-12-09", "level": "commune", "reason": "Lao động tiên tiến",
                "title": "ldtt"}
        made = leader.post(f"{API}/year/{result['id']}/commendations", body, content_type="application/json")
        assert made.status_code == 201
        decision = Decision.objects.get(model=None)
        assert made.json() == {"decision_id": decision.pk, "number": "15/QĐ-UBND", "date": "2026-12-09",
                               "level": "commune", "cadre_id": world.cadre_a.pk, "name": world.cadre_a.full_name,
                               "reason": "Lao động tiên tiến", "source": "evaluation"}
        awarded = leader.get(f"{API}/year/{result['id']}").json()["proposals"][0]
        assert (awarded["status"], awarded["decision_id"]) == ("awarded", decision.pk)
        bad = leader.post(f"{API}/year/{result['id']}/commendations", {**body, "level": "galaxy"},
                          content_type="application/json")
        assert bad.status_code == 422
        seen = {name: [c["number"] for c in api_as(getattr(world, name)).get(f"{API}/commendations",
                                                                             {"year": 2026}).json()]
                for name in ("commune_a_leader", "commune_a_cadre", "commune_a_viewer", "other_province_leader")}
    assert seen == {"commune_a_leader": ["15/QĐ-UBND"], "commune_a_cadre": ["15/QĐ-UBND"],
                    "commune_a_viewer": [], "other_province_leader": []}


def test_another_provinces_year_and_agency_are_answered_like_missing_ones(world, api_as):
    conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    with on(dt.date(2026, 12, 10)):
        leader = api_as(world.commune_a_leader)
        (result,) = leader.post(f"{API}/year/compute", {"agency_id": world.agency_a.pk, "year": 2026},
                                content_type="application/json").json()
        outsider = api_as(world.other_province_leader)
        assert outsider.get(f"{API}/year/{result['id']}").status_code == 404
        assert outsider.get(f"{API}/year", {"year": 2026}).json() == []
        assert outsider.post(f"{API}/year/compute", {"agency_id": world.agency_a.pk, "year": 2026},
                             content_type="application/json").status_code == 404
        assert api_as(world.commune_a_viewer).get(f"{API}/year/{result['id']}").status_code == 404
