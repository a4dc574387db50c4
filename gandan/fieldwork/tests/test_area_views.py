"""My area: what a cadre follows, with contacts and the date of their last visit to each."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from gandan.assignments.testing import make_assignment
from gandan.fieldwork.testing import make_visit


def test_my_units_and_households_with_contact(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1)
    response = client_as(world.commune_a_cadre).get(reverse("fieldwork-area"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thôn Nậm Lìn" in page
    assert "0219 3846 111" in page  # the commune people's committee's office phone
    assert "Vàng Seo Sử" in page and "0911000111" in page  # household head and phone, for its follower


def test_my_area_for_an_account_without_a_cadre(world, client_as):
    assert "chưa gắn với hồ sơ cán bộ" in client_as(world.nobody).get(reverse("fieldwork-area")).content.decode()


@time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
def test_my_area_shows_my_last_visit_to_each_unit_and_household(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1)
    make_visit(world, date=dt.date(2026, 10, 20))
    make_visit(world, date=dt.date(2026, 11, 2))
    make_visit(world, date=dt.date(2026, 10, 30), units=[], households=[world.household_a1])
    page = client_as(world.commune_a_cadre).get(reverse("fieldwork-area")).content.decode()
    assert "02/11/2026" in page and "30/10/2026" in page and "20/10/2026" not in page


def test_the_old_address_of_my_area_still_leads_there(world, client_as):
    response = client_as(world.commune_a_cadre).get(reverse("assignments-mine"))
    assert response.status_code == 301 and response["Location"] == reverse("fieldwork-area")
