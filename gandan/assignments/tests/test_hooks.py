"""Assignments survive a unit merge and are closed (not deleted) when a cadre leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.assignments.models import Assignment, FollowerRole
from gandan.assignments.queries import followed_units, followers_of
from gandan.assignments.testing import make_assignment
from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.services import unit_merge
from gandan.org.testing import make_unit
from gandan.people.services import cadre_leave
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
MERGE_DAY = dt.date(2025, 7, 1)
LEFT = dt.date(2026, 3, 1)


def test_open_assignments_on_a_merged_commune_move_to_the_commune_it_joined(world):
    moved = make_assignment(world.cadre_province, unit=world.commune_b)
    past = make_assignment(world.cadre_province, unit=world.commune_b, start=dt.date(2024, 1, 1),
                           end=dt.date(2024, 6, 1), role=FollowerRole.SUPPORTING)
    household = make_assignment(world.cadre_b, household=world.household_b1)
    unit_merge(actor=world.province_committee, sources=[world.commune_b], target=world.commune_a,
               effective=MERGE_DAY)
    moved.refresh_from_db()
    past.refresh_from_db()
    household.refresh_from_db()
    assert (moved.unit, moved.area, moved.end) == (world.commune_a, world.commune_a, None)
    assert past.unit == world.commune_b  # history stays where it happened
    assert household.area == world.village_b1  # the village moved with its households
    assert list(followers_of(world.commune_a)) == [world.cadre_province]
    assert AuditEvent.objects.get(action="unit.merge").after["moved"]["assignments"] == 1
    assert verify_chain().ok


def test_a_merged_primary_becomes_supporting_when_the_target_has_its_own(world):
    keeper = make_assignment(world.cadre_province, unit=world.commune_a)
    other = make_cadre(world.agency_province, "Ma Thị Hồng")
    moved = make_assignment(other, unit=world.commune_b)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    moved.refresh_from_db()
    keeper.refresh_from_db()
    assert keeper.role == "primary"
    assert (moved.unit, moved.role) == (world.commune_a, "supporting")
    assert set(followers_of(world.commune_a)) == {world.cadre_province, other}


def test_a_follower_of_both_merged_units_keeps_one_assignment(world):
    make_assignment(world.cadre_province, unit=world.commune_a)
    twice = make_assignment(world.cadre_province, unit=world.commune_b, role=FollowerRole.SUPPORTING)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    twice.refresh_from_db()
    assert twice.end is not None and twice.unit == world.commune_b
    assert Assignment.objects.active().filter(cadre=world.cadre_province).count() == 1


def test_household_assignments_follow_their_village_into_a_merged_village(world):
    a = make_assignment(world.cadre_a, household=world.household_a1)
    village = make_assignment(world.cadre_a, unit=world.village_a1)
    unit_merge(actor=None, sources=[world.village_a1], target=world.village_a2, effective=MERGE_DAY)
    a.refresh_from_db()
    village.refresh_from_db()
    assert a.area == world.village_a2 and a.household == world.household_a1
    assert village.unit == world.village_a2


def test_a_departing_cadre_s_assignments_end_on_the_day_they_leave(world):
    ongoing = make_assignment(world.cadre_b, unit=world.village_b1)
    household = make_assignment(world.cadre_b, household=world.household_b1, end=dt.date(2027, 1, 1))
    over = make_assignment(world.cadre_b, unit=world.village_b1, role=FollowerRole.SUPPORTING,
                           start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 1))
    future = make_assignment(world.cadre_b, household=world.household_b1, role=FollowerRole.SUPPORTING,
                             start=dt.date(2026, 6, 1), end=None)
    cadre_leave(actor=world.commune_b_admin, cadre=world.cadre_b, on=LEFT)
    for a in (ongoing, household, over, future):
        a.refresh_from_db()
    assert ongoing.end == LEFT and household.end == LEFT
    assert over.end == dt.date(2024, 2, 1)
    assert future.end == future.start  # never started: cancelled
    assert Assignment.objects.filter(cadre=world.cadre_b).count() == 4
    assert list(followed_units(world.cadre_b)) == []
    event = AuditEvent.objects.get(action="assignment.close_for_leaver")
    assert event.actor == world.commune_b_admin and event.after["count"] == 3
    assert verify_chain().ok


def test_a_deeper_tree_keeps_its_assignments_through_a_commune_merge(world):
    hamlet = make_unit("village", "Xóm Dưới", world.commune_b)
    a = make_assignment(world.cadre_b, unit=hamlet)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    a.refresh_from_db()
    assert a.unit == hamlet and a.area.path.startswith(world.commune_a.path + ".")
