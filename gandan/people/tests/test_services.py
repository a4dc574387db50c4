from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.people import scoping
from gandan.people.models import Role, RoleGrant
from gandan.people.services import cadre_leave, grant_add, grant_end, user_create
from gandan.people.testing import make_cadre


def test_a_unit_admin_grants_a_role_inside_their_unit_and_it_is_audited(world):
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ")
    user = user_create(actor=world.commune_b_admin, username="moi", password="x" * 12, cadre=cadre)
    grant = grant_add(actor=world.commune_b_admin, user=user, role=Role.VIEWER, unit=world.village_b1)
    assert scoping.covers(user, world.village_b1.path)
    assert list(AuditEvent.objects.filter(action__in=["user.create", "grant.add"]).values_list(
        "action", "actor_id")) == [("user.create", world.commune_b_admin.pk), ("grant.add", world.commune_b_admin.pk)]
    assert grant.unit == world.village_b1 and verify_chain().ok


def test_nobody_grants_outside_their_own_scope(world):
    with pytest.raises(PermissionDenied):
        grant_add(actor=world.commune_b_admin, user=world.nobody, role=Role.LEADER, unit=world.commune_a)
    with pytest.raises(PermissionDenied):  # a leader is not an administrator
        grant_add(actor=world.commune_a_leader, user=world.nobody, role=Role.VIEWER, unit=world.village_a1)
    assert not RoleGrant.objects.filter(user=world.nobody).exists()


def test_usernames_are_unique_without_regard_to_case(world):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="NOBODY", password="x" * 12)


def test_an_ended_grant_stops_counting_from_its_end_date(world):
    grant = RoleGrant.objects.get(user=world.commune_a_viewer)
    grant_end(actor=None, grant=grant, on=dt.date.today())
    assert not scoping.units_for(world.commune_a_viewer).exists()
    assert RoleGrant.objects.filter(pk=grant.pk).exists(), "kept for history"


def test_a_cadre_who_leaves_loses_their_grants_but_keeps_their_record(world):
    cadre_leave(actor=world.commune_b_admin, cadre=world.cadre_b, on=dt.date.today())
    world.cadre_b.refresh_from_db()
    assert world.cadre_b.left_on == dt.date.today()
    scoping.forget(world.commune_b_admin)
    assert not scoping.units_for(world.commune_b_admin).exists()
    assert AuditEvent.objects.filter(action="cadre.leave", object_id=str(world.cadre_b.pk)).exists()


def test_a_cadre_gets_at_most_one_account(world):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="hai", password="x" * 12, cadre=world.cadre_b)
