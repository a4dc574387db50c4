"""Every list a leader or the committee opens on a phone (390×844) fits the screen: its tables
become cards (gandan.css `table-cards`, labelled by tables.js) and nothing scrolls sideways.
Screenshots go to var/test-artifacts/phone-list-<login>-<page>.png."""

from __future__ import annotations

import datetime as dt

import pytest

from e2e.test_first_minute import PHONE, _demo
from gandan.campaigns.models import Campaign
from gandan.demo.logins import DEMO_PASSWORD
from gandan.org.models import AdminUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/fieldwork/visits/", "/fieldwork/compliance/", "/fieldwork/meetings/", "/petitions/list/",
         "/petitions/rates/", "/petitions/ranking/", "/petitions/hotspots/", "/assignments/list/",
         "/campaigns/events/", "/campaigns/models/", "/plans/team/"]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("username", ["lanhdao.nghiathuan", "tinhuy"])
def test_every_list_fits_a_phone_as_cards(browser, live_server, _clock, artifacts, username):
    _demo()
    commune = AdminUnit.objects.get(code="00889")
    pages = [*PAGES, f"/assignments/coverage/{commune.pk}/", f"/units/{commune.pk}/"]
    campaign = Campaign.objects.order_by("pk").first()
    if campaign is not None:
        pages.append(f"/campaigns/{campaign.pk}/")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", is_mobile=True, has_touch=True)
    if _clock:
        context.clock.set_system_time(dt.datetime.now(dt.UTC))
    page = context.new_page()
    page.set_default_timeout(20_000)
    wide: list[str] = []
    try:
        _log_in(page, username)
        for url in pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            name = url.strip("/").replace("/", "-")
            page.screenshot(path=str(artifacts / f"phone-list-{username}-{name}.png"))  # what the phone shows first
            if width > PHONE["width"]:
                wide.append(f"{url}: {width}px")
            unlabelled = page.evaluate("""() => [...document.querySelectorAll('table.table-cards')].flatMap(t => {
                const titles = [...(t.tHead ? t.tHead.rows[t.tHead.rows.length - 1].cells : [])]
                    .map(th => th.textContent.trim());
                return [...t.tBodies].flatMap(b => [...b.rows]).flatMap(r => [...r.cells])
                    .filter(td => td.colSpan === 1 && td.cellIndex > 0 && titles[td.cellIndex] && !td.dataset.label);
            }).length""")
            assert unlabelled == 0, f"{url}: {unlabelled} cells without their column's title"
    finally:
        context.close()
    assert wide == [], "pages wider than the phone: " + ", ".join(wide)
