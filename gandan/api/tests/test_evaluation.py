"""/api/v1/evaluation: the three steps through the API, scoped; out of scope is a 404 like missing."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.evaluation.models import SheetStatus
from gandan.evaluation.testing import open_month as open_march
from gandan.evaluation.testing import points, sheet_of
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"


def test_the_three_steps_and_the_reopening_through_the_api(world, api_as):
    month = open_march(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    with on(dt.date(2026, 4, 2)):
        cadre, leader = api_as(world.commune_a_cadre), api_as(world.commune_a_leader)
        mine = cadre.get(f"{API}/sheets/mine").json()
        assert [s["id"] for s in mine] == [sheet.pk]
        detail = cadre.get(f"{API}/sheets/{sheet.pk}").json()
        assert set(detail["evidence"]) >= {"tasks", "fieldwork", "petitions", "campaigns"}
        assert leader.post(f"{API}/sheets/{sheet.pk}/assess", {"points": points(20)},
                           content_type="application/json").status_code == 422  # step 1 first
        assert leader.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(20)},
                           content_type="application/json").status_code == 403
        bad = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": {**points(20), "politics": "12"}},
                         content_type="application/json")
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "politics"]
        done = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(20), "comment": "Tốt"},
                          content_type="application/json").json()
        assert done["status"] == SheetStatus.SELF_ASSESSED and done["total"] == "66.67"
        assert [s["id"] for s in leader.get(f"{API}/sheets/waiting").json()] == [sheet.pk]
        leader.post(f"{API}/sheets/{sheet.pk}/assess", {"points": points(20)}, content_type="application/json")
        preview = leader.get(f"{API}/months/{month.pk}").json()
        assert preview["not_ready"] == []
        assert preview["distribution"] == {"excellent": 0, "good": 0, "done": 1, "failed": 0}
        read = {row["sheet_id"]: row["version"] for row in preview["rows"]}
        stale = leader.post(f"{API}/months/{month.pk}/conclude", {"versions": {sheet.pk: read[sheet.pk] - 1}},
                            content_type="application/json")
        assert stale.status_code == 409 and world.cadre_a.full_name in stale.json()["detail"]
        assert leader.get(f"{API}/months/{month.pk}").json()["month"]["status"] == "open"
        concluded = leader.post(f"{API}/months/{month.pk}/conclude", {"vetoes": {}, "grades": {}, "versions": read},
                                content_type="application/json").json()
        assert concluded["month"]["status"] == "concluded" and concluded["rows"][0]["grade"] == "done"
        assert leader.post(f"{API}/months/{month.pk}/reopen", {"reason": "Sai"},
                           content_type="application/json").status_code == 403
        above = api_as(world.province_committee)
        assert above.post(f"{API}/months/{month.pk}/reopen", {"reason": "Tính lại"},
                          content_type="application/json").json()["status"] == "reopened"
        assert cadre.get(f"{API}/published", {"month": "2026-03"}).json() == []


def test_out_of_scope_callers_get_404_like_missing(world, api_as):
    month = open_march(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    outsider = api_as(world.other_province_leader)
    for url in (f"{API}/sheets/{sheet.pk}", f"{API}/months/{month.pk}"):
        assert outsider.get(url).status_code == 404
        assert outsider.get(url).json() == outsider.get(url.replace(str(sheet.pk if "sheets" in url else month.pk),
                                                                    "999999")).json()
    assert outsider.post(f"{API}/months/{month.pk}/conclude", {}, content_type="application/json").status_code == 404
    assert api_as(world.commune_a_viewer).get(f"{API}/sheets/{sheet.pk}").status_code == 404
    assert outsider.get(f"{API}/months").json() == []
