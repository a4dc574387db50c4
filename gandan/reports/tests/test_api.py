"""The figures API: read-only, scoped, the same numbers as the dashboard."""

from __future__ import annotations

import pytest

from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reports"


def block(body: dict, name: str) -> dict:
    [found] = [b for b in body["blocks"] if b["block"] == name]
    return {f["measure"]: f["current"] for f in found["figures"]}


def test_the_figures_of_a_unit_and_its_children_for_a_period(october, bearer):
    rebuild_month(OCTOBER)
    response = bearer(october.province_committee).get(f"{BASE}/figures", {"unit": october.province.pk,
                                                                          "period": "2026-10"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2026-10" and body["previous_period"] == "2026-09"
    assert float(block(body["unit"], "fieldwork")["visits"]) == 7
    children = {c["unit_name"]: block(c, "concerns") for c in body["children"]}
    assert float(children[october.commune_a.name]["concerns_received"]) == 2
    one = bearer(october.province_committee).get(f"{BASE}/figures", {"period": "2026-10", "block": "campaigns"})
    assert [b["block"] for b in one.json()["unit"]["blocks"]] == ["campaigns"]
    unknown = bearer(october.province_committee).get(f"{BASE}/figures", {"block": "grades"})
    assert unknown.status_code == 422 and "grades" in unknown.content.decode()


def test_an_outsider_gets_a_missing_units_answer_and_a_bad_period_a_clear_one(october, bearer):
    rebuild_month(OCTOBER)
    client = bearer(october.commune_a_leader)
    hidden = client.get(f"{BASE}/figures", {"unit": october.commune_b.pk})
    missing = client.get(f"{BASE}/figures", {"unit": 999999})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert bearer(october.other_province_leader).get(f"{BASE}/reporting",
                                                     {"unit": october.province.pk}).status_code == 404
    bad = client.get(f"{BASE}/figures", {"period": "2026-13"})
    assert bad.status_code == 422 and "2026-13" in bad.content.decode()
    assert client.post(f"{BASE}/figures").status_code == 405


def test_the_reporting_rate_of_the_level_below(october, bearer):
    body = bearer(october.province_committee).get(f"{BASE}/reporting", {"period": "2026-10"}).json()
    assert (body["expected"], body["actual"], body["reporting_rate"]) == (2, 0, 0.0)
