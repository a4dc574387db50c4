"""The counts behind the rates, per holder and per period (set-based), the monthly ranking and hot spots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gandan.petitions import queries, reports, services
from gandan.petitions.models import Petition, PetitionHolding
from gandan.petitions.testing import province_committee_agency, receive

pytestmark = pytest.mark.django_db


def answered(world, text="Đường sạt lở", **extra):
    p = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, text=text, **extra))
    return services.petition_answer(actor=world.commune_a_leader, petition=p, text="Đã sửa")


def period():
    today = timezone.localdate()
    return today - dt.timedelta(days=1), today + dt.timedelta(days=1)


def test_each_holder_is_counted_for_what_it_held(world):
    province_committee_agency(world)
    done = answered(world)
    services.petition_rate(actor=None, petition=done, satisfied=True, pin=done.pin)
    late = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, text="Muộn"))
    PetitionHolding.objects.filter(petition=late).update(due_at=timezone.now() - dt.timedelta(hours=1))
    passed = services.petition_escalate(actor=world.commune_a_leader, note="vượt thẩm quyền",
                                        petition=services.petition_accept(actor=world.commune_a_cadre,
                                                                          petition=receive(world, text="Lên tỉnh")))
    receive(world, text="Chưa nhận")
    start, end = period()

    figures = queries.holder_figures(start=start, end=end)

    commune = figures["units"][world.commune_a.pk]
    assert commune == {"received": 4, "responded": 3, "resolved": 2, "resolved_on_time": 2, "settled": 3,
                       "overdue": 1, "rated": 1, "satisfied": 1, "proxy_rated": 0, "proxy_satisfied": 0}
    assert figures["units"][world.province.pk]["received"] == 1
    assert figures["cadres"][world.cadre_a.pk]["responded"] == 3
    assert figures["agencies"][world.agency_a.pk]["received"] == 4
    assert passed.holder_unit == world.province


def test_filters_by_cadre_and_unit_and_period(world):
    answered(world)
    start, end = period()
    assert queries.holder_figures(start=start, end=end, cadre_ids=[world.cadre_b.pk])["cadres"] == {}
    assert queries.holder_figures(start=start, end=end, unit_ids=[world.commune_b.pk])["units"] == {}
    long_ago = dt.date(2020, 1, 1)
    assert queries.holder_figures(start=long_ago, end=long_ago)["units"] == {}


def test_department_stints_count_for_the_department_not_the_province(world):
    p = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, field="land"))
    services.petition_transfer(actor=world.commune_a_leader, petition=p, note="Sở")
    start, end = period()
    figures = queries.holder_figures(start=start, end=end)
    assert world.province.pk not in figures["units"]
    assert figures["agencies"][world.agency_province.pk]["received"] == 1
    units, agencies, total = reports.rates_table(world.province, start, end)
    assert [r.name for r in agencies] == ["Sở Nông nghiệp và Môi trường"]
    assert total.received == 2


def test_figures_are_a_few_grouped_queries_whatever_the_volume(world):
    for i in range(6):
        answered(world, text=f"Phản ánh {i}")
    start, end = period()
    with CaptureQueriesContext(connection) as few:
        queries.holder_figures(start=start, end=end)
    assert len(few.captured_queries) == 3


def test_the_monthly_ranking_groups_units_of_similar_volume(world):
    for i in range(3):
        answered(world, text=f"Đường {i}")
    receive(world, unit=world.village_b1, actor=world.province_committee, text="Quản Bạ chưa nhận")
    units, _agencies = reports.ranking(world.province, timezone.localdate())
    by_name = {r.name: r for r in units}
    assert by_name["Xã Nghĩa Thuận"].figures.received == 3
    assert by_name["Xã Quản Bạ"].band <= by_name["Xã Nghĩa Thuận"].band
    assert all(r.rank in (None, 1) or r.of >= r.rank for r in units)


def test_hot_spots_are_fields_and_communes_that_rose(world):
    now = timezone.now()
    old = now - dt.timedelta(days=40)
    for i in range(3):
        receive(world, text=f"Đường {i}")
    receive(world, text="Đất cũ", field="land")
    Petition.objects.filter(field="land").update(received_at=old)
    today = timezone.localdate()
    fields, places = reports.hotspots(world.province, today - dt.timedelta(days=29), today)
    assert [s.key for s in fields] == ["infrastructure"]
    assert fields[0].trend.current == 3 and fields[0].trend.previous == 0
    assert [s.name for s in places] == ["Xã Nghĩa Thuận"]
