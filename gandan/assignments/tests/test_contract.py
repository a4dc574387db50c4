"""The reads other apps call: who follows what, on a given day."""

from __future__ import annotations

import datetime as dt

from gandan.assignments.models import FollowerRole
from gandan.assignments.queries import followed_households, followed_units, followers_of
from gandan.assignments.testing import START, make_assignment


def test_a_cadre_follows_units_of_any_level_as_primary_or_supporting(world):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, unit=world.village_a2, role=FollowerRole.SUPPORTING)
    make_assignment(world.cadre_province, unit=world.commune_a)
    assert set(followed_units(world.cadre_a)) == {world.village_a1, world.village_a2}
    assert list(followed_units(world.cadre_province)) == [world.commune_a]


def test_followed_units_respect_the_dates(world):
    make_assignment(world.cadre_a, unit=world.village_a1, start=START, end=dt.date(2025, 9, 1))
    assert list(followed_units(world.cadre_a, on=dt.date(2025, 8, 31))) == [world.village_a1]
    assert list(followed_units(world.cadre_a, on=dt.date(2025, 9, 1))) == []  # the end day no longer counts
    assert list(followed_units(world.cadre_a, on=dt.date(2025, 7, 31))) == []
    assert list(followed_units(world.cadre_a)) == []  # today


def test_followed_households_are_only_those_followed_directly(world):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1)
    assert list(followed_households(world.cadre_a)) == [world.household_a1]
    assert list(followed_households(world.cadre_b)) == []


def test_followers_of_a_unit_are_those_of_exactly_that_unit(world):
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_b, unit=world.village_a1, role=FollowerRole.SUPPORTING)
    make_assignment(world.cadre_province, unit=world.commune_a)
    assert set(followers_of(world.village_a1)) == {world.cadre_a, world.cadre_b}
    assert list(followers_of(world.village_a1, primary_only=True)) == [world.cadre_a]
    assert list(followers_of(world.commune_a)) == [world.cadre_province]
    assert list(followers_of(world.village_a2)) == []
