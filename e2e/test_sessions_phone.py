"""My sessions on a phone (390×844): signed in on a second browser, the cadre sees both sessions as
cards from "me", ends the other one, and nothing scrolls sideways. Screenshot to the artifacts folder."""

from __future__ import annotations

import pytest
from django.test import Client

from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cadre_sees_and_ends_another_session_on_a_phone(page, artifacts):
    build_world()
    other = Client(HTTP_USER_AGENT="Máy tính ở văn phòng xã")
    assert other.post("/accounts/login/", {"username": "commune_a_cadre", "password": PASSWORD}).status_code == 302
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("commune_a_cadre")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    page.goto("/me/")
    page.get_by_test_id("sessions-link").click()
    page.wait_for_url("**/me/sessions/")
    cards = page.locator("[data-session]")
    assert cards.count() == 2
    page.screenshot(path=str(artifacts / "sessions-1-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards.filter(has_text="Máy tính ở văn phòng xã").get_by_role("button", name="Kết thúc phiên").click()
    page.locator(".alert-success").wait_for()
    assert page.locator("[data-session]").count() == 1
    assert other.get("/me/").status_code == 302
