"""The first minute of each demo role at its usual viewport — the cadre on a phone, the others on a
desktop — in Vietnamese and in English: log in, read the home page's work, follow its first line,
open "me". Screenshots go to var/test-artifacts/first-minute-<login>-<language>.png."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from gandan.demo.logins import DEMO_PASSWORD, demo_logins_ensure
from gandan.demo.run import run_builders
from gandan.demo.testing import demo_province, quiet
from gandan.org.models import AdminUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _demo() -> None:
    province = demo_province()
    demo_logins_ensure()
    run_builders(province, seed=7, progress=quiet)


# login → (viewport, the block its first minute starts from, a word of its English home page)
ROLES = {
    "canbo.nghiathuan": (PHONE, "week", "Field work this week"),
    "lanhdao.nghiathuan": (DESKTOP, "awaiting", "Concerns waiting for acceptance"),
    "so.nongnghiep": (DESKTOP, "department", "The department's inbox, by deadline"),
    "tinhuy": (DESKTOP, "ranking", "Follow-up coverage"),
    "quantri.quanba": (DESKTOP, "administration", "Accounts and roles"),
    "thanhtra": (DESKTOP, "concerns", "Follow-up coverage"),
}


@pytest.mark.parametrize("username", list(ROLES))
def test_the_first_minute_of_each_role(browser, live_server, _clock, artifacts, username):
    _demo()
    viewport, block, english = ROLES[username]
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    if _clock:
        context.clock.set_system_time(dt.datetime.now(dt.UTC))
    page = context.new_page()
    page.set_default_timeout(20_000)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto("/accounts/login/")  # "/" is the public landing page for a visitor
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        work = page.get_by_test_id(f"block-{block}")
        work.wait_for()
        page.screenshot(path=str(artifacts / f"first-minute-{username}-vi.png"), full_page=True)
        if username == "thanhtra":
            assert page.locator("a[href='/fieldwork/visits/new/']").count() == 0
        first = work.locator("a").first
        with page.expect_navigation():
            first.click()
        # Bounded checks only: page.content() waits without a limit while a navigation is under way.
        expect(page.get_by_test_id("error-page")).to_have_count(0)
        page.goto("/me/")
        page.get_by_role("heading", level=1).wait_for()
        page.screenshot(path=str(artifacts / f"first-minute-{username}-me-vi.png"), full_page=True)

        page.goto("/")
        page.get_by_label("Ngôn ngữ").select_option("en")
        page.wait_for_load_state()
        page.get_by_text(english).first.wait_for()
        page.screenshot(path=str(artifacts / f"first-minute-{username}-en.png"), full_page=True)
        if username == "lanhdao.nghiathuan":  # the commune's page: its concerns, visits and coverage
            page.goto(f"/units/{AdminUnit.objects.get(code='00889').pk}/")
            page.get_by_test_id("unit-work").wait_for()
            page.screenshot(path=str(artifacts / "first-minute-commune-page-en.png"), full_page=True)
        if username == "thanhtra":  # a refusal that still happens is the product's page, saying why
            page.goto("/fieldwork/meetings/new/")
            page.get_by_text("may view the meetings in your scope but not record them").wait_for()
            page.screenshot(path=str(artifacts / "first-minute-thanhtra-refused-en.png"), full_page=True)
        if viewport is PHONE:  # nothing scrolls sideways on the phone
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert [f for f in failed if "/favicon" in f or "/static/" in f] == []
    finally:
        context.close()
