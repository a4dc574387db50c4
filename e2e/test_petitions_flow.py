"""A citizen files a concern on the public form and follows it by its code; the commune leader takes it up
and transfers it to the competent department; the department answers; the citizen rates the answer on
the public page. Screenshots of each step go to the artifacts folder."""

from __future__ import annotations

import re

import pytest

from gandan.people.testing import build_world
from gandan.petitions import forms
from gandan.petitions.models import Petition

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = "Đất nương nhà tôi ở thôn Nậm Lìn bị lấn chiếm, đề nghị xã đo đạc lại ranh giới."


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/")


def test_file_track_transfer_answer_and_rate(page, artifacts, monkeypatch):
    monkeypatch.setattr(forms, "MIN_FILL_SECONDS", 0)  # the fill-time check has its own tests
    world = build_world()
    page.on("dialog", lambda dialog: dialog.accept())

    # A citizen files a concern (no login): the commune and village lists follow the choices (htmx).
    page.goto("/petitions/public/new/")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Tuyên Quang")
    page.locator("#id_commune option", has_text="Xã Nghĩa Thuận").wait_for(state="attached")
    page.get_by_label("Xã, phường").select_option(label="Xã Nghĩa Thuận")
    page.locator("#id_village option", has_text="Thôn Nậm Lìn").wait_for(state="attached")
    page.get_by_label("Thôn, bản, tổ dân phố (nếu biết)").select_option(label="Thôn Nậm Lìn")
    page.get_by_label("Lĩnh vực").select_option("land")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(TEXT)
    page.get_by_label("Họ và tên", exact=True).fill("Vàng Seo Sử")
    page.get_by_label("Số điện thoại").fill("0911000111")
    page.screenshot(path=str(artifacts / "petitions-1-public-form.png"), full_page=True)
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.get_by_test_id("code").inner_text()
    pin = page.get_by_test_id("pin").inner_text()
    assert re.fullmatch(r"PAKN\.\d{8}\.[0-9A-Z]+\.\d{4}", code) and re.fullmatch(r"\d{6}", pin)
    page.screenshot(path=str(artifacts / "petitions-2-sent.png"), full_page=True)

    # The citizen tracks it by its code: the commune holds it; nothing personal is shown.
    page.goto("/petitions/track/")
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"**/petitions/track/{code}/")
    assert page.get_by_test_id("holder").inner_text() == "UBND xã Nghĩa Thuận"
    assert "Vàng Seo Sử" not in page.content() and "0911000111" not in page.content()
    page.screenshot(path=str(artifacts / "petitions-3-track-received.png"), full_page=True)

    # The commune leader takes it up from the inbox and transfers it to the department for land.
    log_in(page, "commune_a_leader")
    page.goto("/petitions/")
    page.get_by_role("link", name=code, exact=True).click()
    page.get_by_role("button", name="Nhận xử lý").click()
    page.get_by_test_id("status").filter(has_text="Đã nhận xử lý").wait_for()
    assert page.get_by_test_id("contact").is_visible()  # the handler sees who raised it
    page.get_by_label("Chuyển cơ quan có thẩm quyền").select_option(str(world.agency_province.pk))
    page.get_by_label("Lý do chuyển").fill("Tranh chấp ranh giới đất thuộc thẩm quyền của Sở.")
    page.screenshot(path=str(artifacts / "petitions-4-leader-transfers.png"), full_page=True)
    page.get_by_role("button", name="Chuyển cơ quan").click()
    page.get_by_test_id("holder").filter(has_text="Sở Nông nghiệp và Môi trường").wait_for()
    logout(page)

    # The department's handler finds it in the department's box, takes it up and answers.
    log_in(page, "department_handler")
    page.goto("/petitions/")
    page.get_by_role("link", name=code, exact=True).click()
    page.get_by_role("button", name="Nhận xử lý").click()
    page.get_by_label("Trả lời người dân").fill("Sở đã cử cán bộ đo đạc, ranh giới được xác định lại ngày 20/7.")
    page.screenshot(path=str(artifacts / "petitions-5-department-answers.png"), full_page=True)
    page.get_by_role("button", name="Gửi trả lời").click()
    page.get_by_test_id("status").filter(has_text="Đã trả lời").wait_for()
    logout(page)

    # Back on the public page, the citizen reads the answer and rates it with the PIN.
    page.goto(f"/petitions/track/{code}/")
    assert "ranh giới được xác định lại" in page.get_by_test_id("answer").inner_text()
    assert page.get_by_test_id("holder").inner_text() == "Sở Nông nghiệp và Môi trường"
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Mã xác nhận").fill(pin)
    page.screenshot(path=str(artifacts / "petitions-6-rate.png"), full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_test_id("status").filter(has_text="Đã hoàn thành").wait_for()
    page.screenshot(path=str(artifacts / "petitions-7-closed.png"), full_page=True)
    for secret in ("Vàng Seo Sử", "0911000111", pin, world.cadre_province.full_name):
        assert secret not in page.content()

    petition = Petition.objects.get(code=code)
    assert (petition.status, petition.channel, petition.holder_agency) == ("closed", "public", world.agency_province)
    assert list(petition.events.values_list("action", flat=True)) == [
        "receive", "accept", "transfer", "accept", "answer", "rate_satisfied"]
