"""Reads: the contract other apps call (last visit per unit/household, month locks), the capture form's
places, and who sees which visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.assignments.models import Assignment
from gandan.fieldwork import queries
from gandan.fieldwork.testing import make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_the_last_visit_per_unit_is_one_query_and_counts_household_villages(world, django_assert_num_queries):
    make_visit(world, date=days_ago(10), units=[world.village_a1])
    make_visit(world, date=days_ago(3), units=[world.village_a1, world.village_a2])
    make_visit(world, date=days_ago(1), units=[], households=[world.household_a1])
    make_visit(world, actor=world.commune_b_admin, date=days_ago(2), units=[world.village_b1])

    with django_assert_num_queries(1):
        last = queries.last_visit_by_unit([world.village_a1.pk, world.village_a2.pk, world.village_b1.pk,
                                           world.commune_a.pk])

    assert last == {world.village_a1.pk: days_ago(1), world.village_a2.pk: days_ago(3),
                    world.village_b1.pk: days_ago(2)}


def test_the_last_visit_per_unit_by_one_cadre(world):
    make_visit(world, date=days_ago(5), units=[world.village_a1])
    make_visit(world, actor=world.commune_b_admin, date=days_ago(1), units=[world.village_b1])
    assert queries.last_visit_by_unit([world.village_a1.pk, world.village_b1.pk], cadre=world.cadre_a) == {
        world.village_a1.pk: days_ago(5)}
    assert queries.last_visit_by_unit([], cadre=world.cadre_a) == {}


def test_the_last_visit_per_household(world, django_assert_num_queries):
    make_visit(world, date=days_ago(9), units=[], households=[world.household_a1])
    make_visit(world, date=days_ago(4), units=[], households=[world.household_a1])
    with django_assert_num_queries(1):
        last = queries.last_visit_by_household([world.household_a1.pk, world.household_b1.pk])
    assert last == {world.household_a1.pk: days_ago(4)}
    assert queries.last_visit_by_household([world.household_a1.pk], cadre=world.cadre_b) == {}


def test_an_edited_date_moves_the_last_visit(world):
    from gandan.fieldwork import services
    from gandan.fieldwork.inputs import VisitPatch

    visit = make_visit(world, date=days_ago(9))
    services.visit_update(actor=world.commune_a_cadre, visit=visit, changes=VisitPatch(date=days_ago(2)))
    assert queries.last_visit_by_unit([world.village_a1.pk]) == {world.village_a1.pk: days_ago(2)}


def test_the_capture_form_offers_the_cadres_own_units_and_households_when_following_nothing(world):
    places = queries.places_for(world.cadre_a)
    names = [u["name"] for u in places["units"]]
    assert names[0] == "Xã Nghĩa Thuận"
    assert set(names) == {"Xã Nghĩa Thuận", "Thôn Nậm Lìn", "Thôn Cốc Pảng"}
    assert [h["name"] for h in places["households"]] == ["Vàng Seo Sử"]
    assert "phone" not in places["households"][0]
    assert not places["follows"]


def test_followed_units_and_households_come_first(world):
    start = days_ago(30)
    Assignment.objects.create(province=world.province, cadre=world.cadre_a, unit=world.village_a2,
                              area=world.commune_a, start=start)
    Assignment.objects.create(province=world.province, cadre=world.cadre_a, household=world.household_b1,
                              area=world.commune_b, start=start)
    places = queries.places_for(world.cadre_a)
    assert places["follows"]
    assert places["units"][0]["name"] == "Thôn Cốc Pảng" and places["units"][0]["followed"]
    assert places["households"][0]["name"] == "Thào Thị Dung" and places["households"][0]["followed"]


def test_a_province_cadre_is_offered_the_province_and_its_communes_without_households(world):
    places = queries.places_for(world.cadre_province)
    assert {"Tỉnh Tuyên Quang", "Xã Nghĩa Thuận", "Xã Quản Bạ"} <= {u["name"] for u in places["units"]}
    assert "Xã Mù Cang Chải" not in {u["name"] for u in places["units"]}
    assert places["households"] == []


def test_a_user_without_grants_sees_no_visits(world):
    make_visit(world)
    assert not queries.visits_visible(world.nobody).exists()


def test_a_province_committee_sees_every_visit_of_its_province_only(world):
    ours = make_visit(world)
    assert list(queries.visits_visible(world.province_committee)) == [ours]
    assert not queries.visits_visible(world.other_province_leader).exists()
