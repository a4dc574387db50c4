"""Accounts a unit administrator runs: made from a cadre, reset by a one-time link, changed by the user;
grants to people of other units only with a confirmed reason."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.people import scoping
from gandan.people.models import Role, RoleGrant, User
from gandan.people.services import (
    account_create,
    generated_password,
    grant_add,
    password_reset_link,
    password_set,
)
from gandan.people.testing import make_cadre, make_user

TZ = dt.timezone(dt.timedelta(hours=7))


def test_an_account_made_from_a_cadre_has_a_valid_one_time_password_and_must_change_it(world):
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ", email="chu@example.vn")
    user, password = account_create(actor=world.commune_b_admin, cadre=cadre, username=" ChuHM ")
    user.refresh_from_db()
    assert (user.username, user.cadre, user.first_name, user.email) == ("chuhm", cadre, "Hầu Mí Chứ", "chu@example.vn")
    assert user.must_change_password and user.check_password(password)
    password_validation.validate_password(password, user)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == world.commune_b_admin and event.after["must_change_password"] is True
    assert password not in str(event.before) + str(event.after) and verify_chain().ok


def test_generated_passwords_differ_and_avoid_look_alike_characters():
    passwords = {generated_password() for _ in range(20)}
    assert len(passwords) == 20
    assert not set("".join(passwords)) & set("0O1lI")


@pytest.mark.parametrize(("username", "field"), [("phuc st", "username"), ("Phúc", "username"),
                                                 ("commune_b_admin", "username")])
def test_a_bad_or_taken_username_is_refused_and_nothing_is_made(world, username, field):
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ")
    with pytest.raises(ValidationError) as caught:
        account_create(actor=world.commune_b_admin, cadre=cadre, username=username)
    assert field in caught.value.message_dict
    assert not User.objects.filter(cadre=cadre).exists() and not AuditEvent.objects.filter(action="user.create")


def test_a_cadre_with_an_account_or_who_left_gets_none(world):
    with pytest.raises(ValidationError):
        account_create(actor=world.commune_b_admin, cadre=world.cadre_b, username="maitl")
    gone = make_cadre(world.agency_b, "Hầu Mí Chứ", left_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        account_create(actor=world.commune_b_admin, cadre=gone, username="chuhm")
    assert User.objects.count() == 8


def test_nobody_makes_an_account_for_a_cadre_of_a_unit_they_do_not_administer(world):
    for actor in (world.commune_b_admin, world.commune_a_leader, world.province_committee):
        with pytest.raises(PermissionDenied):
            account_create(actor=actor, cadre=world.cadre_a, username="phucst")
    assert not User.objects.filter(username="phucst").exists()


# -- reset by a one-time link -----------------------------------------------------------------------
@pytest.fixture
def colleague(world) -> User:
    """A cadre of Xã Quản Bạ with an account and a viewer grant there."""
    return make_user("chuhm", role=Role.VIEWER, unit=world.village_b1,
                     cadre=make_cadre(world.agency_b, "Hầu Mí Chứ"))


def test_a_reset_link_works_once_and_is_audited(world, colleague):
    uid, token = password_reset_link(actor=world.commune_b_admin, user=colleague)
    assert default_token_generator.check_token(colleague, token)
    password_set(actor=colleague, user=colleague, password="Lùng-Cúng-mùa-lúa-2026", how="reset link")
    colleague.refresh_from_db()
    assert not default_token_generator.check_token(colleague, token)  # single use: the hash it signs changed
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(colleague.pk), action__startswith="user.")
            .order_by("id")] == ["user.password_reset_link", "user.password_set"]
    assert AuditEvent.objects.get(action="user.password_set").after == {"must_change_password": False,
                                                                         "how": "reset link"}


def test_a_reset_link_expires_after_three_days(world, colleague):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=TZ), tick=False):
        _uid, token = password_reset_link(actor=world.commune_b_admin, user=colleague)
    with time_machine.travel(dt.datetime(2026, 6, 4, 8, tzinfo=TZ), tick=False):
        assert default_token_generator.check_token(colleague, token)
    with time_machine.travel(dt.datetime(2026, 6, 4, 10, tzinfo=TZ), tick=False):
        assert not default_token_generator.check_token(colleague, token)


def test_an_administrator_resets_no_account_reaching_beyond_their_units(world, colleague):
    """A cadre employed in the commune who also sits on the province committee: resetting their password
    would hand the commune's administrator the province's scope."""
    RoleGrant.objects.create(user=colleague, role=Role.COMMITTEE, unit=world.province)
    scoping.forget(colleague)
    with pytest.raises(PermissionDenied):
        password_reset_link(actor=world.commune_b_admin, user=colleague)


@pytest.mark.parametrize("who", ["commune_b_admin", "commune_a_cadre", "other_province_leader"])
def test_an_administrator_resets_neither_their_own_nor_another_units_accounts(world, who):
    with pytest.raises(PermissionDenied):
        password_reset_link(actor=world.commune_b_admin, user=getattr(world, who))
    assert not AuditEvent.objects.filter(action="user.password_reset_link").exists()


# -- grants across units ----------------------------------------------------------------------------
def test_a_grant_to_a_cadre_of_another_commune_needs_a_reason(world):
    """The administrator of Xã Quản Bạ makes a cadre employed in Xã Nghĩa Thuận leader of Xã Quản Bạ."""
    with pytest.raises(ValidationError) as caught:
        grant_add(actor=world.commune_b_admin, user=world.commune_a_cadre, role=Role.LEADER, unit=world.commune_b)
    assert caught.value.code == "cross_unit"
    assert "Xã Nghĩa Thuận" not in " ".join(caught.value.messages)  # the other unit is not named
    assert not RoleGrant.objects.filter(user=world.commune_a_cadre, unit=world.commune_b).exists()

    grant = grant_add(actor=world.commune_b_admin, user=world.commune_a_cadre, role=Role.LEADER,
                      unit=world.commune_b, cross_unit_reason="  Biệt phái 6 tháng theo QĐ 12/QĐ-UBND ")
    assert grant.cross_unit_reason == "Biệt phái 6 tháng theo QĐ 12/QĐ-UBND"
    event = AuditEvent.objects.get(action="grant.add")
    assert event.after["cross_unit_reason"] == "Biệt phái 6 tháng theo QĐ 12/QĐ-UBND"


def test_an_account_linked_to_no_cadre_is_across_units_too(world):
    with pytest.raises(ValidationError):
        grant_add(actor=world.commune_b_admin, user=world.nobody, role=Role.VIEWER, unit=world.village_b1)


@pytest.mark.parametrize("unit", ["commune_b", "village_b1"])
def test_a_grant_to_a_cadre_of_the_units_own_line_needs_no_reason(world, colleague, unit):
    grant = grant_add(actor=world.commune_b_admin, user=colleague, role=Role.LEADER, unit=getattr(world, unit))
    assert grant.cross_unit_reason == ""


def test_a_province_department_cadre_over_a_commune_of_the_province_is_on_its_line(world):
    grant = grant_add(actor=world.commune_b_admin, user=world.department_handler, role=Role.VIEWER,
                      unit=world.commune_b)
    assert grant.cross_unit_reason == ""


def test_the_system_sets_up_first_accounts_without_a_reason(world):
    assert grant_add(actor=None, user=world.nobody, role=Role.UNIT_ADMIN, unit=world.commune_a).pk
