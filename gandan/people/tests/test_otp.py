"""The two-step sign-in (people/otp.py, otp_views.py, middleware.py): who must, enrolment, the code at
later logins, recovery codes, the per-account back-off, an administrator's reset, the pages left open,
the API. Time is frozen: a TOTP code belongs to a 30-second step, and a used step is refused again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import checks
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandan.core.models import AuditEvent
from gandan.people import enrolment_codes, otp, recovery, tokens
from gandan.people.models import RecoveryCode, Role
from gandan.people.testing import PASSWORD, make_cadre, make_user, otp_code, otp_enrol

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, 5, tzinfo=dt.UTC)
LOGIN, VERIFY, SETUP = "/accounts/login/", "/accounts/otp/", "/accounts/otp/setup/"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def on(settings):
    settings.GANDAN_OTP_REQUIRED = True


def log_in(username: str, client: Client | None = None) -> Client:
    client = client or Client(REMOTE_ADDR="203.0.113.7")
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_administrators_committees_and_leaders_must_the_others_may(world, on, settings):
    must = {name for name in ("province_committee", "commune_a_leader", "commune_b_admin", "commune_a_cadre",
                              "commune_a_viewer", "department_handler", "nobody")
            if otp.otp_required(getattr(world, name))}
    assert must == {"province_committee", "commune_a_leader", "commune_b_admin"}
    assert {Role.UNIT_ADMIN, Role.COMMITTEE, Role.LEADER} == otp.OTP_ROLES
    settings.GANDAN_OTP_REQUIRED = False
    assert not otp.otp_required(world.commune_b_admin)


def give_enrolment_code(client: Client, user) -> None:
    """The enrolment page's first step, with a code the system issued (people/enrolment_codes.py)."""
    code, _expires = enrolment_codes.code_issue(actor=None, user=user)
    assert client.post(SETUP, {"enrolment_code": code}).status_code == 302


def test_a_leader_enrols_after_the_password_and_sees_the_recovery_codes_once(world, on, frozen):
    client = log_in("commune_a_leader")
    landed = client.get("/me/")
    assert landed.status_code == 302 and landed["Location"] == f"{SETUP}?next=%2Fme%2F"
    asked = client.get(landed["Location"])  # first the enrolment code an administrator issued
    assert 'name="enrolment_code"' in asked.content.decode() and "otp-secret" not in asked.content.decode()
    give_enrolment_code(client, world.commune_a_leader)
    page = client.get(landed["Location"])
    html = page.content.decode()
    qr = html.split('data-testid="otp-qr"')[1].split("</svg>")[0]
    assert page.status_code == 200 and "<svg" in qr and "<script" not in qr and "onload" not in qr
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=world.commune_a_leader, confirmed=False)
    assert secret.replace(" ", "") in device.config_url and "issuer=G%E1%BA%A7n%20D%C3%A2n" in device.config_url
    before = client.session.session_key

    done = client.post(SETUP, {"code": otp_code(device), "next": "/me/"})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col user-select-all">([a-z2-7]{8})</li>', done.content.decode())
    assert len(codes) == 10 and {recovery.digest(c) for c in codes} == set(
        RecoveryCode.objects.values_list("digest", flat=True))
    assert client.session.session_key != before  # the verified session has a key of its own
    assert client.get("/me/").status_code == 200
    assert client.get(SETUP).status_code == 200 and "otp-secret" in client.get(SETUP).content.decode()  # may replace
    entry = AuditEvent.objects.get(action="user.otp_enrol")
    assert entry.actor_id == world.commune_a_leader.pk and secret.replace(" ", "") not in str(entry.after)


def test_a_wrong_code_does_not_enrol(world, on, frozen):
    client = log_in("commune_a_leader")
    give_enrolment_code(client, world.commune_a_leader)
    client.get(SETUP)
    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 400 and "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    assert not otp.enrolled(world.commune_a_leader)
    assert client.get("/me/").status_code == 302


def test_a_later_login_asks_the_code_refuses_a_wrong_one_and_renews_the_key(world, on, frozen):
    device, _codes = otp_enrol(world.commune_a_leader)
    client = log_in("commune_a_leader")
    asked = client.get("/units/")
    assert asked.status_code == 302 and asked["Location"] == f"{VERIFY}?next=%2Funits%2F"
    assert client.get(SETUP).status_code == 302  # a password alone cannot replace the authenticator
    wrong = client.post(VERIFY, {"code": "123456", "next": "/units/"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    password_key = client.session.session_key
    right = client.post(VERIFY, {"code": otp_code(device), "next": "/units/"})
    assert right.status_code == 302 and right["Location"] == "/units/"
    assert client.session.session_key != password_key and client.session[SESSION_KEY] == str(
        world.commune_a_leader.pk)
    assert client.get("/units/").status_code == 200
    stale = Client()
    stale.cookies["sessionid"] = password_key  # a copy of the key from before the code is worth nothing
    assert stale.get("/units/")["Location"].startswith(LOGIN)


def test_the_same_code_is_not_accepted_twice(world, on, frozen):
    device, _codes = otp_enrol(world.commune_a_leader)
    code = otp_code(device)
    assert log_in("commune_a_leader").post(VERIFY, {"code": code}).status_code == 302
    assert log_in("commune_a_leader").post(VERIFY, {"code": code}).status_code == 400
    frozen.shift(30)
    assert log_in("commune_a_leader").post(VERIFY, {"code": otp_code(device)}).status_code == 302


def test_a_recovery_code_is_accepted_once(world, on, frozen):
    _device, codes = otp_enrol(world.commune_a_leader)
    first = log_in("commune_a_leader")
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get("/me/").status_code == 200
    again = log_in("commune_a_leader")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert RecoveryCode.objects.count() == 9
    assert AuditEvent.objects.filter(action="user.otp_recovery_code_used").count() == 1


def test_wrong_codes_are_held_off_per_account_then_let_through(world, on, frozen):
    device, _codes = otp_enrol(world.commune_a_leader)
    client = log_in("commune_a_leader")
    assert [client.post(VERIFY, {"code": "000000"}).status_code for _ in range(5)] == [400] * 5
    held = client.post(VERIFY, {"code": otp_code(device)})  # even the right code waits
    assert held.status_code == 429 and held["Retry-After"] == "60"
    assert "Vui lòng thử lại sau 1 phút" in held.content.decode()
    other_address = log_in("commune_a_leader", Client(REMOTE_ADDR="198.51.100.9"))
    assert other_address.post(VERIFY, {"code": otp_code(device)}).status_code == 429  # the account is held
    frozen.shift(61)
    assert client.post(VERIFY, {"code": otp_code(device)}).status_code == 302


def test_the_code_pages_are_limited_per_address(world, on, frozen, settings):
    otp_enrol(world.commune_a_leader)
    client = log_in("commune_a_leader")
    for _ in range(60):
        client.get(VERIFY)
    refused = client.get(VERIFY)
    assert refused.status_code == 429 and refused.has_header("Retry-After")


def test_a_pending_user_reaches_only_the_code_pages_logout_and_the_language(world, on, frozen):
    otp_enrol(world.commune_a_leader)
    client = log_in("commune_a_leader")
    for path in ("/", "/me/", "/me/tokens/", "/me/sessions/", "/accounts/password/", "/petitions/track/",
                 "/people/accounts/", "/reports/"):
        assert client.get(path)["Location"].startswith(VERIFY), path
    assert client.get(VERIFY).status_code == 200
    assert client.get("/health/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": VERIFY}).status_code == 302
    api = client.get("/api/v1/units/roots")
    assert api.status_code == 403 and api.json() == {
        "detail": "Please confirm your sign-in with the code from your authenticator app first."}
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_a_new_account_enrols_before_it_changes_its_first_password(world, on, frozen):
    leader = world.commune_a_leader
    leader.must_change_password = True
    leader.save()
    client = log_in("commune_a_leader")
    assert client.get("/me/")["Location"].startswith("/accounts/password/")
    assert client.get("/accounts/password/")["Location"].startswith(SETUP)
    give_enrolment_code(client, leader)
    client.get(SETUP)
    client.post(SETUP, {"code": otp_code(TOTPDevice.objects.get(user=leader))})
    assert client.get("/me/")["Location"].startswith("/accounts/password/")
    assert client.get("/accounts/password/").status_code == 200


def test_a_user_who_needs_no_code_may_enrol_and_is_then_asked(world, on, frozen):
    viewer = log_in("commune_a_viewer")
    assert viewer.get("/me/").status_code == 200  # not required: no step
    viewer.get(SETUP)
    codes = viewer.post(SETUP, {"code": otp_code(TOTPDevice.objects.get(user=world.commune_a_viewer))})
    assert codes.status_code == 200 and "recovery-codes" in codes.content.decode()
    assert log_in("commune_a_viewer").get("/me/")["Location"].startswith(VERIFY)


def test_personal_tokens_of_a_user_who_must_use_a_code_need_an_authenticator(world, on, frozen):
    _token, key = tokens.token_create(actor=world.commune_a_leader, name="điện thoại")
    refused = Client().get("/api/v1/units/roots", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert refused.status_code == 403 and "đăng ký ứng dụng xác thực" in refused.json()["detail"]
    otp_enrol(world.commune_a_leader)
    assert Client().get("/api/v1/units/roots", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


@pytest.fixture
def commune_b_leader(world):
    cadre = make_cadre(world.agency_b, "Vàng Văn Sáng", position="Chủ tịch UBND xã")
    return make_user("commune_b_leader", role=Role.LEADER, unit=world.commune_b, cadre=cadre)


def test_an_administrator_resets_an_account_they_look_after_never_their_own(world, on, frozen, commune_b_leader):
    device, _codes = otp_enrol(commune_b_leader)
    leader = log_in("commune_b_leader")
    leader.post(VERIFY, {"code": otp_code(device)})
    assert leader.get("/me/").status_code == 200

    otp_enrol(world.commune_b_admin)
    admin = Client()
    admin.force_login(world.commune_b_admin)
    url = f"/people/accounts/users/{commune_b_leader.pk}/otp-reset/"
    admin.post(VERIFY, {"code": otp_code(TOTPDevice.objects.get(user=world.commune_b_admin))})
    assert "otp-reset" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=commune_b_leader).exists()
    entry = AuditEvent.objects.get(action="user.otp_reset")
    assert (entry.actor_id, entry.object_id, entry.after) == (world.commune_b_admin.pk, str(commune_b_leader.pk),
                                                              {"devices_removed": 2})
    asked = leader.get("/me/")  # the leader's verified session is not any more: enrol again
    assert asked["Location"].startswith(VERIFY) and leader.get(asked["Location"])["Location"].startswith(SETUP)

    own = f"/people/accounts/users/{world.commune_b_admin.pk}/otp-reset/"
    assert admin.post(own).status_code == 404
    outsider = Client()
    outsider.force_login(world.commune_a_leader)
    with pytest.raises(Exception):  # noqa: B017  (a PermissionDenied of the service, below the view's 404)
        otp.otp_reset(actor=world.commune_a_leader, user=commune_b_leader)
    assert TOTPDevice.objects.filter(user=world.commune_b_admin).exists()


def test_check_deploy_warns_when_the_code_is_not_required(settings):
    from gandan.people.checks import otp_required_in_production

    settings.GANDAN_OTP_REQUIRED = False
    assert [m.id for m in otp_required_in_production(None)] == ["gandan.W010"]
    settings.GANDAN_OTP_REQUIRED = True
    assert otp_required_in_production(None) == []
    assert otp_required_in_production in checks.registry.registry.get_checks(include_deployment_checks=True)
