"""A citizen on a phone (390×844): landing → file → confirmation with the PIN (a reload files nothing and
shows no PIN) → the printed receipt → track → rate with the PIN → reopen. Screenshots go to the artifacts."""

from __future__ import annotations

import pytest

from gandan.people.testing import build_world
from gandan.petitions import forms, services
from gandan.petitions.models import Petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = "Đèn đường đầu thôn Nậm Lìn tắt đã hai tuần, buổi tối đi lại rất nguy hiểm."


def test_a_citizen_files_prints_tracks_rates_and_reopens_on_a_phone(page, artifacts, monkeypatch):
    monkeypatch.setattr(forms, "MIN_FILL_SECONDS", 0)
    world = build_world()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.screenshot(path=str(artifacts / "citizen-1-landing.png"), full_page=True)
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Tuyên Quang")
    page.locator("#id_commune option", has_text="Xã Nghĩa Thuận").wait_for(state="attached")
    page.get_by_label("Xã, phường").select_option(label="Xã Nghĩa Thuận")
    assert page.get_by_label("Lĩnh vực").input_value() == ""
    page.get_by_label("Lĩnh vực").select_option("infrastructure")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(TEXT)
    page.screenshot(path=str(artifacts / "citizen-2-form.png"), full_page=True)
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.get_by_test_id("code").inner_text()
    pin = page.get_by_test_id("pin").inner_text()
    page.screenshot(path=str(artifacts / "citizen-3-confirmation.png"), full_page=True)
    page.reload()
    assert page.get_by_test_id("pin-gone").is_visible() and Petition.objects.count() == 1
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "citizen-4-receipt-print.png"), full_page=True)
    page.emulate_media(media="screen")

    petition = Petition.objects.get(code=code)
    petition = services.petition_accept(actor=world.commune_a_cadre, petition=petition)
    services.petition_answer(actor=world.commune_a_cadre, petition=petition, text="Xã đã thay bóng đèn.")
    page.goto("/petitions/track/")
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_label("Hài lòng", exact=True).check()
    page.locator("#rate-pin").fill(pin)
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_test_id("status").filter(has_text="Đã hoàn thành").wait_for()
    page.screenshot(path=str(artifacts / "citizen-5-rated.png"), full_page=True)
    page.get_by_label("Vấn đề tái diễn thế nào?").fill("Đèn lại tắt sau ba ngày.")
    page.locator("#reopen-pin").fill(pin)
    page.get_by_role("button", name="Mở lại phản ánh").click()
    page.get_by_test_id("reopened").wait_for()
    page.screenshot(path=str(artifacts / "citizen-6-reopened.png"), full_page=True)
    assert Petition.objects.get(code=code).status == "reopened"
