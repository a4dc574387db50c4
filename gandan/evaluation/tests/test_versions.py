"""A sheet's optimistic version: steps 1 and 2 move it by one, and a step sent with the version the
caller read before someone else's step is refused (409 through the API), the first step kept."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.core.concurrency import Stale
from gandan.evaluation import services
from gandan.evaluation.testing import open_month, points, sheet_of
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"
AFTER = dt.date(2026, 4, 2)


def test_a_step_with_a_stale_version_is_refused_and_the_first_kept(world):
    sheet = sheet_of(open_month(world), world.cadre_a.pk)
    seen = sheet.version
    with on(AFTER):
        services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet, points=points(20), comment="Lần một",
                                   version=seen)
        with pytest.raises(Stale):
            services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet, points=points(10),
                                       comment="Lần hai", version=seen)
        sheet.refresh_from_db()
        services.sheet_assess(actor=world.commune_a_leader, sheet=sheet, points=points(20), reasons={})
    sheet.refresh_from_db()
    assert (sheet.self_comment, sheet.version) == ("Lần một", seen + 2)


def test_the_api_answers_409_to_a_stale_step(world, api_as):
    sheet = sheet_of(open_month(world), world.cadre_a.pk)
    with on(AFTER):
        cadre = api_as(world.commune_a_cadre)
        seen = cadre.get(f"{API}/sheets/{sheet.pk}").json()["version"]
        first = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(20), "comment": "A", "version": seen},
                           content_type="application/json")
        late = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(10), "comment": "B", "version": seen},
                          content_type="application/json")
        leader = api_as(world.commune_a_leader)
        stale = leader.post(f"{API}/sheets/{sheet.pk}/assess", {"points": points(20), "version": seen},
                            content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == seen + 1
    assert late.status_code == 409 and stale.status_code == 409
    sheet.refresh_from_db()
    assert sheet.self_comment == "A" and sheet.status == "self_assessed"
