"""Assigning one by one, by multi-select, ending and transferring: who may, what the rules allow,
one primary per target, history kept and every write audited."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gandan.assignments import rules as R
from gandan.assignments.models import Assignment, AssignmentRule, FollowerRole
from gandan.assignments.services import (
    BatchRejected,
    assignment_create,
    assignment_end,
    assignment_transfer,
    assignments_bulk_create,
    rules_ensure_default,
    rules_set,
)
from gandan.assignments.testing import START, make_assignment
from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.testing import make_agency, make_household, make_unit
from gandan.people.models import Role, RoleGrant
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 5)


@pytest.fixture
def admin_a(world):
    """A unit administrator of commune A (the world has one only for commune B)."""
    RoleGrant.objects.create(user=world.commune_a_viewer, role=Role.UNIT_ADMIN, unit=world.commune_a)
    return world.commune_a_viewer


def test_a_leader_assigns_a_commune_cadre_to_a_village_and_it_is_audited(world):
    a = assignment_create(actor=world.commune_a_leader, cadre=world.cadre_a, unit=world.village_a1, start=DAY)
    a.refresh_from_db()
    assert (a.cadre, a.unit, a.household, a.area, a.role, a.start, a.end) == (
        world.cadre_a, world.village_a1, None, world.village_a1, "primary", DAY, None)
    assert a.province == world.province and a.created_by == world.commune_a_leader
    event = AuditEvent.objects.get(action="assignment.create")
    assert event.object_id == str(a.pk) and event.actor == world.commune_a_leader
    assert verify_chain().ok


def test_a_household_is_followed_and_scoped_by_its_village(world, admin_a):
    a = assignment_create(actor=admin_a, cadre=world.cadre_a, household=world.household_a1, start=DAY)
    assert a.area == world.village_a1 and a.unit is None


def test_a_viewer_or_a_cadre_may_not_assign(world):
    for user in (world.commune_a_viewer, world.commune_a_cadre, world.province_committee):
        with pytest.raises(PermissionDenied):
            assignment_create(actor=user, cadre=world.cadre_a, unit=world.village_a1, start=DAY)
    assert not Assignment.objects.exists()


def test_nobody_assigns_outside_their_scope(world):
    with pytest.raises(PermissionDenied):  # target in commune A, admin of commune B
        assignment_create(actor=world.commune_b_admin, cadre=world.cadre_b, unit=world.village_a1, start=DAY)
    with pytest.raises(PermissionDenied):  # a cadre of commune A, admin of commune B
        assignment_create(actor=world.commune_b_admin, cadre=world.cadre_a, unit=world.village_b1, start=DAY)
    assert not Assignment.objects.exists()


def test_a_commune_cadre_cannot_follow_a_village_of_another_commune(world):
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_b1, start=DAY)
    assert "không thuộc đơn vị của cán bộ" in str(exc.value)


def test_a_commune_cadre_cannot_follow_a_commune(world):
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.commune_a, start=DAY)
    assert "không cho cán bộ cấp xã theo dõi xã" in str(exc.value)


def test_a_province_cadre_follows_a_commune_but_not_one_of_another_province(world):
    assignment_create(actor=None, cadre=world.cadre_province, unit=world.commune_a, start=DAY)
    with pytest.raises(ValidationError):
        assignment_create(actor=None, cadre=world.cadre_province, unit=world.other_commune, start=DAY)


def test_the_province_rules_decide_and_replace_the_default(world):
    rules_set(actor=None, province=world.province, rules=[R.RuleSpec("commune", "village", supporting_allowed=False)])
    with pytest.raises(ValidationError):  # households are no longer in the rules
        assignment_create(actor=None, cadre=world.cadre_a, household=world.household_a1, start=DAY)
    with pytest.raises(ValidationError):  # supporting is not allowed
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY,
                          role=FollowerRole.SUPPORTING)
    assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY)


def test_a_target_has_one_primary_follower_at_a_time(world):
    other = make_cadre(world.agency_a, "Lò Văn Hải")
    assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY)
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=other, unit=world.village_a1, start=DAY + dt.timedelta(days=3))
    assert "đã có người phụ trách chính" in str(exc.value)
    supporting = assignment_create(actor=None, cadre=other, unit=world.village_a1, start=DAY,
                                   role=FollowerRole.SUPPORTING)
    assert supporting.role == "supporting"


def test_a_new_primary_may_start_when_the_previous_one_ends(world):
    other = make_cadre(world.agency_a, "Lò Văn Hải")
    make_assignment(world.cadre_a, unit=world.village_a1, start=START, end=DAY)
    assignment_create(actor=None, cadre=other, unit=world.village_a1, start=DAY)
    with pytest.raises(ValidationError):  # but not before, over the old one's period
        assignment_create(actor=None, cadre=other, unit=world.village_a1, start=START, end=DAY,
                          role=FollowerRole.PRIMARY)


def test_the_database_refuses_two_open_primaries_on_one_target(world):
    make_assignment(world.cadre_a, unit=world.village_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(make_cadre(world.agency_a, "Lò Văn Hải"), unit=world.village_a1)


def test_the_database_refuses_an_assignment_with_two_targets_or_none(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(province=world.province, cadre=world.cadre_a, unit=world.village_a1,
                                  household=world.household_a1, area=world.village_a1, start=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(province=world.province, cadre=world.cadre_a, area=world.village_a1, start=DAY)


def test_the_same_cadre_does_not_follow_a_target_twice(world):
    assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY,
                      role=FollowerRole.SUPPORTING)
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY)
    assert "đã theo dõi" in str(exc.value)


def test_bad_dates_and_departed_cadres_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY,
                          end=DAY - dt.timedelta(days=1))
    assert "end" in exc.value.message_dict
    world.cadre_a.left_on = DAY
    world.cadre_a.save()
    with pytest.raises(ValidationError):
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY)


def test_a_merged_unit_cannot_be_assigned(world):
    world.village_a2.valid_to = dt.date(2025, 7, 1)
    world.village_a2.save()
    with pytest.raises(ValidationError):
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a2, start=DAY)


def test_multi_select_creates_every_selected_assignment_with_one_audit_event(world, admin_a):
    households = [make_household(world.village_a2, f"Hộ {i}") for i in range(3)]
    rows = assignments_bulk_create(actor=admin_a, cadre=world.cadre_a, unit_ids=[world.village_a1.pk],
                                   household_ids=[h.pk for h in households], start=DAY)
    assert len(rows) == 4
    assert set(Assignment.objects.values_list("household_id", flat=True)) == {None, *[h.pk for h in households]}
    event = AuditEvent.objects.get(action="assignment.bulk_create")
    assert event.after["count"] == 4 and event.actor == admin_a


def test_multi_select_writes_nothing_when_one_target_is_wrong(world, admin_a):
    make_assignment(make_cadre(world.agency_a, "Lò Văn Hải"), unit=world.village_a2)
    with pytest.raises(BatchRejected) as exc:
        assignments_bulk_create(actor=admin_a, cadre=world.cadre_a, household_ids=[world.household_a1.pk,
                                world.household_b1.pk], unit_ids=[world.village_a1.pk, world.village_a2.pk],
                                start=DAY)
    assert [(e.line, e.field) for e in exc.value.rows] == [(2, "vai_tro"), (4, "ma_ho")]
    assert Assignment.objects.count() == 1


def test_ending_keeps_the_assignment_as_history(world):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    assignment_end(actor=world.commune_a_leader, assignment=a, on=DAY)
    a.refresh_from_db()
    assert a.end == DAY and Assignment.objects.count() == 1
    with pytest.raises(ValidationError):
        assignment_end(actor=world.commune_a_leader, assignment=a, on=DAY)
    with pytest.raises(PermissionDenied):
        assignment_end(actor=world.commune_b_admin, assignment=make_assignment(world.cadre_a, unit=world.village_a2))


def test_a_transfer_ends_one_and_starts_the_other_on_the_same_day(world):
    other = make_cadre(world.agency_a, "Lò Văn Hải")
    old = make_assignment(world.cadre_a, unit=world.village_a1)
    new = assignment_transfer(actor=world.commune_a_leader, assignment=old, to_cadre=other, on=DAY)
    old.refresh_from_db()
    assert old.end == DAY and (new.cadre, new.unit, new.role, new.start, new.end) == (
        other, world.village_a1, "primary", DAY, None)
    assert list(AuditEvent.objects.filter(action__startswith="assignment.").values_list("action", flat=True)) == [
        "assignment.end", "assignment.create", "assignment.transfer"]


def test_a_transfer_to_a_cadre_of_another_commune_changes_nothing(world):
    old = make_assignment(world.cadre_a, unit=world.village_a1)
    with pytest.raises(PermissionDenied):
        assignment_transfer(actor=world.commune_a_leader, assignment=old, to_cadre=world.cadre_b, on=DAY)
    old.refresh_from_db()
    assert old.end is None and Assignment.objects.count() == 1


def test_the_default_rules_are_written_once(world):
    rules_ensure_default(actor=None, province=world.province)
    rules_ensure_default(actor=None, province=world.province)
    assert set(AssignmentRule.objects.values_list("agency_level", "target_level")) == {
        ("province", "commune"), ("commune", "village"), ("commune", "household")}
    assert AuditEvent.objects.filter(action="assignment_rule.set").count() == 1


def test_a_rule_set_with_a_level_following_itself_is_refused(world):
    with pytest.raises(ValidationError):
        rules_set(actor=None, province=world.province, rules=[R.RuleSpec("commune", "commune")])
    with pytest.raises(PermissionDenied):
        rules_set(actor=world.commune_b_admin, province=world.province, rules=R.DEFAULT_RULES)
    assert not AssignmentRule.objects.exists()


def test_three_tier_rules_let_a_district_cadre_follow_a_village(world):
    district = make_unit("district", "Huyện Quản Bạ (cũ)", world.province)
    commune = make_unit("commune", "Xã Tùng Vài", district)
    village = make_unit("village", "Thôn Tùng Vài Phìn", commune)
    cadre = make_cadre(make_agency(district, "UBND huyện Quản Bạ"), "Vàng Thị Mỷ")
    with pytest.raises(ValidationError):  # the two-tier default has no district
        assignment_create(actor=None, cadre=cadre, unit=village, start=DAY)
    rules_set(actor=None, province=world.province, rules=R.THREE_TIER)
    assert assignment_create(actor=None, cadre=cadre, unit=village, start=DAY).area == village


def test_when_the_check_misses_a_concurrent_primary_the_unique_index_answers_clearly(world, monkeypatch):
    from gandan.assignments import checks

    make_assignment(make_cadre(world.agency_a, "Lò Văn Hải"), unit=world.village_a1)
    monkeypatch.setattr(checks, "lock_and_load", lambda targets: defaultdict(list))  # the other write unseen
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=None, cadre=world.cadre_a, unit=world.village_a1, start=DAY)
    assert "vừa được người khác giao" in str(exc.value)
    with pytest.raises(BatchRejected):
        assignments_bulk_create(actor=None, cadre=world.cadre_a, unit_ids=[world.village_a1.pk], start=DAY)
    assert Assignment.objects.count() == 1
