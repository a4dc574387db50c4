"""The visit form on a phone, scrolled to its "Lưu" button: what happens next is shown where the
thumb is. A form with fields missing brings the first of them to the screen with the cursor in
it; a visit the server refuses comes back into the form as typed, with the reason beside the
button — nothing typed is lost, nothing is left in the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.fieldwork.models import MonthLock, Visit
from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def in_viewport(page, selector: str) -> bool:
    """Whether the element is on the screen (waiting out a smooth scroll, at most the default timeout)."""
    page.wait_for_function("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight; }""", arg=selector)
    return True


def open_form(page):
    page.set_viewport_size(PHONE)
    log_in(page, "commune_a_cadre")
    page.goto("/fieldwork/visits/new/")
    page.get_by_test_id("place-list").get_by_role("button", name="Thôn Nậm Lìn · Xã Nghĩa Thuận").wait_for()
    page.locator("label[for=kind-field_day]").wait_for()
    page.evaluate("document.querySelectorAll('input[name=kind]').forEach(r => { r.checked = false; })")


def test_missing_fields_are_brought_to_the_thumb(page, artifacts):
    build_world()
    open_form(page)
    page.get_by_label("Ghi chú").fill("Họp dân bàn làm đường.")
    page.get_by_role("button", name="Lưu").scroll_into_view_if_needed()
    assert not page.evaluate("document.querySelector('#visit-date').getBoundingClientRect().bottom > 0")
    page.get_by_role("button", name="Lưu").click()

    page.locator("[data-error-for=kind]").filter(has_text="Hãy chọn loại đi cơ sở").wait_for()
    assert page.get_by_test_id("save-status").inner_text().startswith("Chưa lưu")
    assert page.evaluate("document.activeElement.name") == "kind"  # the first field in error
    assert in_viewport(page, "[data-error-for=kind]")
    assert page.get_by_label("Ghi chú").input_value() == "Họp dân bàn làm đường."
    page.screenshot(path=str(artifacts / "fieldwork-form-missing-fields-phone.png"))
    assert Visit.objects.count() == 0


def test_a_refused_visit_comes_back_into_the_form(page, artifacts):
    world = build_world()
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    MonthLock.objects.create(province=world.province, month=last_month.replace(day=1))
    open_form(page)
    page.get_by_label("Ngày", exact=True).fill(last_month.strftime("%d/%m/%Y"))
    page.locator("label[for=kind-field_day]").click()
    page.get_by_placeholder("Tìm thôn, xã hoặc chủ hộ (không cần dấu)").fill("nam lin")
    page.get_by_test_id("place-list").get_by_role("button", name="Thôn Nậm Lìn · Xã Nghĩa Thuận").click()
    page.get_by_label("Ghi chú").fill("Cùng bà con làm 200 m đường bê tông.")
    page.get_by_role("button", name="Lưu").scroll_into_view_if_needed()
    page.get_by_role("button", name="Lưu").click()

    page.get_by_test_id("save-status").filter(has_text="Chưa lưu, nội dung vẫn còn").wait_for()
    assert in_viewport(page, "[data-testid=save-status]") and in_viewport(page, "#save-button")
    assert page.locator("#visit-date").input_value() == last_month.isoformat()
    assert page.locator("#kind-field_day").is_checked()
    page.get_by_test_id("chosen").get_by_text("Thôn Nậm Lìn · Xã Nghĩa Thuận").wait_for()
    assert page.get_by_label("Ghi chú").input_value() == "Cùng bà con làm 200 m đường bê tông."
    assert page.evaluate("FieldworkQueue.count()") == 0
    assert page.get_by_test_id("pending-count").inner_text() == "0"
    page.screenshot(path=str(artifacts / "fieldwork-form-refused-phone.png"))
    assert Visit.objects.count() == 0

    page.get_by_label("Ngày", exact=True).fill(timezone.localdate().strftime("%d/%m/%Y"))  # corrected
    page.get_by_role("button", name="Lưu").click()
    page.get_by_test_id("flash").filter(has_text="Đã gửi").wait_for()
    assert in_viewport(page, "[data-testid=flash]")
    assert not page.get_by_test_id("save-status").is_visible()
    page.screenshot(path=str(artifacts / "fieldwork-form-saved-phone.png"))
    assert Visit.objects.get().notes == "Cùng bà con làm 200 m đường bê tông."
    assert page.get_by_label("Ghi chú").input_value() == ""
