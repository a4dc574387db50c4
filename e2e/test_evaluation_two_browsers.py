"""Two browsers on one sheet (390×844): the cadre opens the month's sheet on a phone and on a second
browser, sends step 1 from the phone, then from the other browser: that one is refused on the page
(the current values drawn again, nothing written) and goes through when sent again. Screenshot to the
artifacts folder."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gandan.evaluation import services
from gandan.evaluation.models import AgencyMonth, Sheet
from gandan.evaluation.testing import sheet_of
from gandan.people.testing import build_world
from gandan.plans.periods import previous_month

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
CRITERIA = (("Chính trị, tư tưởng, đạo đức, lối sống, văn hóa, kỷ luật, kỷ cương", "politics"),
            ("Năng lực, trách nhiệm, thái độ phục vụ nhân dân, phối hợp", "capacity"),
            ("Đi cơ sở, bám địa bàn, tham gia phong trào", "grassroots"),
            ("Đổi mới, sáng tạo, dám nghĩ, dám làm", "innovation"))


def _fill(pg, values: tuple[str, ...], comment: str) -> None:
    for (_label, code), value in zip(CRITERIA, values, strict=True):
        pg.fill(f"#p_{code}", value)
    pg.fill("#comment", comment)


def test_the_later_of_two_browsers_is_refused_on_the_page_with_the_current_values(page, browser, live_server,
                                                                                  artifacts):
    world = build_world()
    month = previous_month(timezone.localdate())
    services.month_open(actor=None, unit=world.commune_a, month=month)
    sheet = sheet_of(AgencyMonth.objects.get(agency=world.agency_a, month=month), world.cadre_a.pk)
    url = f"/evaluation/sheets/{sheet.pk}/"
    other = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN",
                                timezone_id="Asia/Ho_Chi_Minh")
    try:
        second = other.new_page()
        second.set_default_timeout(30_000)
        page.set_viewport_size(PHONE)
        for pg in (page, second):
            log_in(pg, "commune_a_cadre")
            pg.goto(url)
        _fill(page, ("10", "10", "5", "4"), "Gửi từ điện thoại")
        _fill(second, ("8", "8", "4", "3"), "Gửi từ máy khác")
        page.get_by_test_id("self-submit").click()
        page.locator(".alert-success").wait_for()
        second.get_by_test_id("self-submit").click()
        second.get_by_test_id("stale").wait_for()
        assert "nên chưa ghi gì" in second.get_by_test_id("stale").inner_text()
        assert second.input_value("#comment") == "Gửi từ điện thoại"  # the current values, drawn again
        assert second.input_value("#p_innovation") == "4.00"
        second.evaluate("window.scrollTo(0, 0)")
        second.screenshot(path=str(artifacts / "evaluation-stale-390.png"), full_page=False)
        assert Sheet.objects.get(pk=sheet.pk).self_comment == "Gửi từ điện thoại"
        second.fill("#comment", "Gửi lại từ máy khác")
        second.get_by_test_id("self-submit").click()
        second.locator(".alert-success").wait_for()
        assert Sheet.objects.get(pk=sheet.pk).self_comment == "Gửi lại từ máy khác"
    finally:
        other.close()
