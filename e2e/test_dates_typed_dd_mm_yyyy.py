"""Dates are read and typed as dd/mm/yyyy in every browser, an English one included (where the
browser's own date input shows mm/dd/yyyy): the field shows 05/11/2026, a typed 5/11/2026 filters
the list, an impossible date is refused in the user's language, and the form still sends ISO."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.fieldwork.testing import make_visit
from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser, live_server, _clock):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900},
                                  locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/")


def test_an_english_browser_reads_and_types_dates_as_dd_mm_yyyy(english_page, artifacts):
    page = english_page
    world = build_world()
    make_visit(world, date=dt.date(2026, 11, 5))
    make_visit(world, date=dt.date(2026, 10, 20))
    log_in(page, "commune_a_leader")
    page.goto("/fieldwork/visits/?date_from=2026-11-05")
    start = page.get_by_label("Từ ngày")
    assert start.input_value() == "05/11/2026"  # shown dd/mm/yyyy, sent as ISO
    assert page.get_by_test_id("visit-row").count() == 1

    start.fill("20/10/2026")
    page.get_by_label("Đến ngày").fill("5/11/26")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**date_from=2026-10-20**")
    assert "date_to=2026-11-05" in page.url
    assert page.get_by_test_id("visit-row").count() == 2
    assert page.get_by_label("Đến ngày").input_value() == "05/11/2026"

    page.get_by_label("Từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Lọc").click()  # refused in the browser, in the user's language
    assert "date_from=2026-10-20" in page.url
    message = page.get_by_label("Từ ngày").evaluate("el => el.validationMessage")
    assert message.startswith("Ngày không hợp lệ")
    page.screenshot(path=str(artifacts / "dates-english-browser.png"))
