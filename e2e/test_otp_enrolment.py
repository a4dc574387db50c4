"""A leader signs in with the password, gives the one-time enrolment code an administrator issued (the
password alone shows no authenticator), enrols an authenticator (the test computes its TOTP code from
the secret the page shows, as an app would), notes the recovery codes and reaches the site; the next
sign-in asks for the code."""

from __future__ import annotations

import pytest
from django_otp.oath import totp

from gandan.people.enrolment_codes import code_issue
from gandan.people.testing import build_world

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str) -> str:
    import base64

    return f"{totp(base64.b32decode(secret.replace(' ', ''))):06d}"


def test_a_leader_enrols_an_authenticator_after_the_password(page, artifacts, settings):
    settings.GANDAN_OTP_REQUIRED = True
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    world = build_world()

    log_in(page, "commune_a_leader", landing=None)
    page.wait_for_url("**/accounts/otp/setup/**")
    page.get_by_test_id("otp-required").wait_for()
    assert page.get_by_test_id("otp-secret").count() == 0  # the password alone binds no authenticator
    page.screenshot(path=str(artifacts / "otp-enrolment-code.png"), full_page=True)
    page.get_by_label("Mã đăng ký").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_test_id("otp-error").wait_for()
    code, _expires = code_issue(actor=None, user=world.commune_a_leader)  # as an administrator hands it over
    page.get_by_label("Mã đăng ký").fill(code)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_test_id("otp-secret").wait_for()
    assert page.get_by_test_id("otp-qr").locator("svg").count() == 1
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.screenshot(path=str(artifacts / "otp-setup.png"), full_page=True)
    page.goto("/units/")  # every other page waits
    page.wait_for_url("**/accounts/otp/setup/?next=%2Funits%2F")

    page.get_by_label("Mã xác thực").fill("000000")
    page.get_by_role("button", name="Xác nhận và bật").click()
    page.get_by_test_id("otp-error").wait_for()
    assert page.get_by_test_id("otp-secret").inner_text() == secret  # the same authenticator to confirm

    page.get_by_label("Mã xác thực").fill(_code(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    codes.first.wait_for()
    assert codes.count() == 10
    recovery = codes.first.inner_text().strip()
    page.screenshot(path=str(artifacts / "otp-recovery-codes.png"), full_page=True)
    page.get_by_test_id("otp-continue").click()
    page.wait_for_url("**/units/")

    page.context.clear_cookies()  # the next sign-in asks for a code; a recovery code does
    log_in(page, "commune_a_leader", landing=None)
    page.wait_for_url("**/accounts/otp/**")
    page.get_by_label("Mã xác thực").fill(recovery)
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
