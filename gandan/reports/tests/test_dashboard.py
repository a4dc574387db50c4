"""The dashboard: scoped, read from the rollups at a fixed number of queries, drilled down one level
per click with the period kept, every number linked to its rows."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.urls import reverse

from gandan.fieldwork.models import Visit, VisitKind
from gandan.fieldwork.testing import make_visit
from gandan.org.testing import make_household, make_unit
from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER, on

pytestmark = pytest.mark.django_db
URL = reverse("reports-dashboard")


def figure(html: str, code: str) -> str:
    match = re.search(rf'data-testid="figure-{code}">\s*([^<]*?)\s*<', html)
    assert match, code
    return match.group(1)


def test_a_province_dashboard_shows_the_period_beside_the_last_and_its_communes(october, client_as):
    rebuild_month(OCTOBER)
    rebuild_month(OCTOBER.replace(month=9))
    html = client_as(october.province_committee).get(URL, {"period": "2026-10"}).content.decode()
    assert figure(html, "visits") == "7"  # commune A's six and commune B's one
    assert 'data-measure="visits"' in html and "09/2026" in html  # the previous month beside it
    assert f'href="?unit={october.commune_a.pk}&amp;period=2026-10"' in html  # drill down, period kept
    assert october.other_commune.name not in html


def test_a_quarter_adds_the_months_and_shows_the_stocks_of_its_last(october, client_as):
    for month in (10, 11, 12):
        rebuild_month(OCTOBER.replace(month=month))
    html = client_as(october.province_committee).get(URL, {"period": "2026-Q4"}).content.decode()
    assert figure(html, "visits") == "7" and figure(html, "villages") == "3"
    html = client_as(october.province_committee).get(URL, {"kind": "quarter", "month": "2026-11"}).content.decode()
    assert "Q4/2026" in html


def test_a_commune_leader_never_counts_another_communes_rows_at_any_level(october, client_as):
    w = october
    rebuild_month(OCTOBER)
    client = client_as(w.commune_a_leader)
    html = client.get(URL, {"period": "2026-10"}).content.decode()
    assert 'data-testid="dashboard-unit">Xã Nghĩa Thuận' in html
    assert figure(html, "concerns_received") == "2"  # not commune B's third
    assert w.village_b1.name not in html and w.commune_b.name not in html
    for village, visits in ((w.village_a1, "6"), (w.village_a2, "3")):
        html = client.get(URL, {"unit": village.pk, "period": "2026-10"}).content.decode()
        assert figure(html, "place_visits") == visits
        assert figure(html, "concerns_raised") == "1"  # raised there; held by the commune
        assert 'data-testid="leaf"' in html


@pytest.mark.parametrize("persona", ["commune_a_leader", "other_province_leader"])
def test_a_unit_outside_the_scope_answers_as_a_missing_one(october, client_as, caplog, persona):
    w = october
    user = getattr(w, persona)
    target = w.commune_b
    client = client_as(user)
    caplog.set_level(logging.WARNING, logger="gandan.denials")
    missing = client.get(URL, {"unit": 999999})
    assert [r for r in caplog.records if r.name == "gandan.denials"] == []
    hidden = client.get(URL, {"unit": target.pk})
    assert missing.status_code == hidden.status_code == 404 and missing.content == hidden.content
    [record] = [r for r in caplog.records if r.name == "gandan.denials"]
    assert (record.username, record.kind, record.object_id) == (user.username, "org.adminunit", str(target.pk))


def test_a_user_without_a_scope_sees_nothing(october, client_as):
    assert client_as(october.nobody).get(URL).status_code == 404


def test_each_number_links_to_the_rows_behind_it(october, client_as):
    rebuild_month(OCTOBER)
    html = client_as(october.commune_a_leader).get(URL, {"period": "2026-10"}).content.decode()
    visits = re.search(r'href="([^"]+)" data-testid="figure-place_visits"', html).group(1).replace("&amp;", "&")
    assert visits.startswith(reverse("fieldwork-visits")) and "date_from=2026-10-01" in visits
    concerns = re.search(r'href="([^"]+)" data-testid="figure-concerns_overdue"', html).group(1)
    assert concerns.startswith(reverse("petitions-list")) and "overdue=1" in concerns
    assert client_as(october.commune_a_leader).get(visits).status_code == 200


def _grow(world) -> None:
    """Ten times the villages, households and visits of the hand-made month."""
    villages = [make_unit("village", f"Thôn {i}", world.commune_a) for i in range(20)]
    for village in villages:
        make_household(village, "Hà Văn Tú")
    with on(dt.date(2026, 10, 28)):
        for i in range(40):
            make_visit(world, date=dt.date(2026, 10, 1 + i % 27), kind=VisitKind.WORKING_VISIT,
                       units=[villages[i % 20]])


PAGE_QUERIES = 11


def test_a_province_dashboard_costs_the_same_few_queries_at_two_data_sizes(october, client_as,
                                                                           django_assert_max_num_queries):
    client = client_as(october.province_committee)
    rebuild_month(OCTOBER)
    client.get(URL)  # the session and the first-request caches
    # The page's own 10, and at most once a minute the session's idle clock restarted
    # (core/idle_sessions.py): 11 whatever the data size.
    with django_assert_max_num_queries(PAGE_QUERIES):
        small = client.get(URL, {"period": "2026-Q4"})
    _grow(october)
    rebuild_month(OCTOBER)
    assert Visit.objects.count() > 40
    with django_assert_max_num_queries(PAGE_QUERIES):
        large = client.get(URL, {"period": "2026-Q4"})
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get(URL, {"unit": october.commune_a.pk, "period": "2026-10"})  # 22 villages below it
    assert small.status_code == large.status_code == 200
