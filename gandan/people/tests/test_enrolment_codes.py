"""One-time enrolment codes of the two-step sign-in (people/enrolment_codes.py): a user who must use a
code and has no authenticator enrols only with a code an administrator of the account issued — who may
issue (scope: a refusal is a 404 like a missing account, logged), shown once, kept hashed, expiry,
single use, a new code replaces the old, wrong codes held off; the command line for the first one."""

from __future__ import annotations

import datetime as dt
import logging
import re
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandan.core.models import AuditEvent
from gandan.people import enrolment_codes, otp
from gandan.people.models import OtpEnrolmentCode, Role
from gandan.people.testing import PASSWORD, make_cadre, make_user, otp_code, otp_enrol

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, 5, tzinfo=dt.UTC)
LOGIN, SETUP = "/accounts/login/", "/accounts/otp/setup/"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def on(settings):
    settings.GANDAN_OTP_REQUIRED = True


@pytest.fixture
def leader_b(world):
    """A leader of commune B, whose accounts commune B's administrator looks after."""
    cadre = make_cadre(world.agency_b, "Vàng Văn Sáng", position="Chủ tịch UBND xã")
    return make_user("commune_b_leader", role=Role.LEADER, unit=world.commune_b, cadre=cadre)


@pytest.fixture
def admin_b(world, on):
    """Commune B's administrator, signed in with their own authenticator."""
    device, _codes = otp_enrol(world.commune_b_admin)
    client = log_in("commune_b_admin")
    assert client.post("/accounts/otp/", {"code": otp_code(device)}).status_code == 302
    return client


def log_in(username: str) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


def url(user) -> str:
    return f"/people/accounts/users/{user.pk}/otp-enrolment-code/"


def issued(client: Client, user) -> str:
    page = client.post(url(user))
    assert page.status_code == 200
    found = re.search(r'data-testid="otp-enrolment-code">([A-Z0-9-]+)<', page.content.decode())
    assert found is not None
    return found.group(1)


def test_the_password_alone_shows_no_authenticator_to_a_user_who_must_use_one(world, on, frozen):
    client = log_in("commune_a_leader")
    page = client.get(SETUP)
    assert page.status_code == 200 and 'name="enrolment_code"' in page.content.decode()
    assert "otp-secret" not in page.content.decode() and "<svg" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=world.commune_a_leader).exists()  # nothing made to confirm
    assert client.post(SETUP, {"code": "123456"}).status_code == 400  # a TOTP code does not skip the step
    assert client.get("/me/")["Location"].startswith(SETUP)


def test_an_administrator_issues_a_code_shown_once_and_the_owner_enrols_with_it(world, frozen, leader_b, admin_b):
    assert "otp-enrolment-code-issue" in admin_b.get(url(leader_b)).content.decode()  # GET only asks
    assert not OtpEnrolmentCode.objects.exists()
    code = issued(admin_b, leader_b)
    row = OtpEnrolmentCode.objects.get(user=leader_b)
    assert row.issued_by == world.commune_b_admin and row.expires_at == START + dt.timedelta(hours=72)
    assert enrolment_codes.normalised(code) not in row.digest and len(row.digest) == 64
    entry = AuditEvent.objects.get(action="user.otp_enrolment_code")
    assert (entry.actor_id, entry.object_id) == (world.commune_b_admin.pk, str(leader_b.pk))
    assert code not in str(entry.after) and enrolment_codes.normalised(code) not in str(entry.after)

    owner = log_in("commune_b_leader")
    assert owner.post(SETUP, {"enrolment_code": code.lower().replace("-", " ")}).status_code == 302
    assert "otp-secret" in owner.get(SETUP).content.decode()
    assert owner.post(SETUP, {"code": otp_code(TOTPDevice.objects.get(user=leader_b))}).status_code == 200
    assert otp.enrolled(leader_b) and owner.get("/me/").status_code == 200
    assert OtpEnrolmentCode.objects.get(user=leader_b).used_at == START
    assert AuditEvent.objects.filter(action="user.otp_enrolment_code_used", actor_id=leader_b.pk).count() == 1


def test_a_code_is_used_once(world, on, frozen, leader_b):
    code, _expires = enrolment_codes.code_issue(actor=None, user=leader_b)
    assert log_in("commune_b_leader").post(SETUP, {"enrolment_code": code}).status_code == 302
    again = log_in("commune_b_leader")  # another session (a thief with the password, later) cannot reuse it
    assert again.post(SETUP, {"enrolment_code": code}).status_code == 400
    assert "otp-secret" not in again.get(SETUP).content.decode()


def test_a_code_expires(world, on, frozen, leader_b, settings):
    settings.GANDAN_OTP_ENROLMENT_HOURS = 2
    code, expires = enrolment_codes.code_issue(actor=None, user=leader_b)
    assert expires == START + dt.timedelta(hours=2)
    frozen.shift(2 * 3600)
    refused = log_in("commune_b_leader").post(SETUP, {"enrolment_code": code})
    assert refused.status_code == 400 and "Mã không đúng hoặc đã hết hạn" in refused.content.decode()
    assert OtpEnrolmentCode.objects.get().used_at is None


def test_a_new_code_replaces_the_unused_one(world, on, frozen, leader_b):
    first, _ = enrolment_codes.code_issue(actor=None, user=leader_b)
    second, _ = enrolment_codes.code_issue(actor=None, user=leader_b)
    client = log_in("commune_b_leader")
    assert client.post(SETUP, {"enrolment_code": first}).status_code == 400
    assert client.post(SETUP, {"enrolment_code": second}).status_code == 302
    assert AuditEvent.objects.filter(action="user.otp_enrolment_code").last().after["replaced"] == 1


def test_another_accounts_code_does_not_let_one_enrol(world, on, frozen, leader_b):
    code, _ = enrolment_codes.code_issue(actor=None, user=world.commune_a_leader)
    assert log_in("commune_b_leader").post(SETUP, {"enrolment_code": code}).status_code == 400


def test_wrong_codes_are_held_off_per_account(world, on, frozen, leader_b):
    code, _ = enrolment_codes.code_issue(actor=None, user=leader_b)
    client = log_in("commune_b_leader")
    assert [client.post(SETUP, {"enrolment_code": "AAAA-BBBB-CCCC"}).status_code for _ in range(5)] == [400] * 5
    assert client.post(SETUP, {"enrolment_code": code}).status_code == 429


def test_who_may_issue_outsiders_get_a_logged_404_and_nothing_is_issued(world, frozen, leader_b, admin_b, caplog):
    own = admin_b.post(url(world.commune_b_admin))
    assert own.status_code == 404  # never one's own account
    outsiders = {}
    for name in ("commune_a_leader", "province_committee", "commune_a_viewer", "other_province_leader"):
        device, _codes = otp_enrol(getattr(world, name))  # verified sessions: the step itself is not the refusal
        client = log_in(name)
        assert client.post("/accounts/otp/", {"code": otp_code(device)}).status_code == 302
        with caplog.at_level(logging.WARNING, logger="gandan.denials"):
            caplog.clear()
            outsiders[name] = (client.post(url(leader_b)).status_code, client.get(url(leader_b)).status_code,
                               len([r for r in caplog.records if r.name == "gandan.denials"]))
    assert set(outsiders.values()) == {(404, 404, 2)}, outsiders
    with caplog.at_level(logging.WARNING, logger="gandan.denials"):
        caplog.clear()
        assert admin_b.post("/people/accounts/users/999999/otp-enrolment-code/").status_code == 404
        assert not [r for r in caplog.records if r.name == "gandan.denials"]  # missing: the same 404, no denial
    assert not OtpEnrolmentCode.objects.exists()
    with pytest.raises(PermissionDenied):
        enrolment_codes.code_issue(actor=world.commune_a_leader, user=leader_b)
    with pytest.raises(PermissionDenied):
        enrolment_codes.code_issue(actor=world.commune_b_admin, user=world.commune_b_admin)


def test_a_reset_leads_the_administrator_to_issue_a_code(world, frozen, leader_b, admin_b):
    otp_enrol(leader_b)
    done = admin_b.post(f"/people/accounts/users/{leader_b.pk}/otp-reset/")
    assert done.status_code == 302 and done["Location"] == url(leader_b)
    owner = log_in("commune_b_leader")
    assert 'name="enrolment_code"' in owner.get(SETUP).content.decode()
    assert owner.post(SETUP, {"enrolment_code": issued(admin_b, leader_b)}).status_code == 302


def test_a_user_who_need_not_use_a_code_enrols_without_one_and_replacing_needs_none(world, on, frozen):
    viewer = log_in("commune_a_viewer")
    assert "otp-secret" in viewer.get(SETUP).content.decode()
    device, _codes = otp_enrol(world.commune_a_leader)
    leader = log_in("commune_a_leader")
    leader.post("/accounts/otp/", {"code": otp_code(device)})
    assert "otp-secret" in leader.get(SETUP).content.decode()  # verified: may replace the authenticator


def test_the_command_line_issues_one_for_the_first_administrator(world, on, frozen):
    out = StringIO()
    call_command("otp_enrolment_code", "commune_b_admin", stdout=out)
    code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", out.getvalue()).group(1)
    entry = AuditEvent.objects.get(action="user.otp_enrolment_code")
    assert entry.actor_id is None and OtpEnrolmentCode.objects.get().issued_by is None
    assert log_in("commune_b_admin").post(SETUP, {"enrolment_code": code}).status_code == 302
