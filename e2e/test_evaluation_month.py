"""The month's evaluation in a browser: the commune cadre self-assesses on a phone (390×844), seeing the
evidence behind the score; the commune leader, on a desktop, assesses the sheet with a reason, then
concludes the whole agency on one screen — the cap blocks two excellent out of five, shows who is above
the line, and the conclusion goes through once that sheet is lowered. Screenshots go to the artifacts
folder."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gandan.evaluation import services
from gandan.evaluation.models import AgencyMonth, MonthStatus, Sheet, SheetStatus
from gandan.evaluation.testing import assess, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import build_world, make_cadre, make_user
from gandan.plans.periods import previous_month

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_cadre_self_assesses_on_a_phone_and_the_leader_concludes_on_a_desktop(page, artifacts):
    world = build_world()
    others = [make_cadre(world.agency_a, name, position="Công chức") for name in (
        "Hoàng Thị Lan", "Lục Văn Minh", "Nông Thị Hà", "Vàng A Sùng")]
    accounts = [make_user(f"cb{i}", role=Role.CADRE, unit=world.commune_a, cadre=c) for i, c in enumerate(others)]
    month = previous_month(timezone.localdate())
    services.month_open(actor=None, unit=world.commune_a, month=month)
    agency_month = AgencyMonth.objects.get(agency=world.agency_a, month=month)
    for account, cadre, total in zip(accounts, others, [30, 24, 22, 24], strict=True):
        assess(self_assess(sheet_of(agency_month, cadre.pk), account, total), world.commune_a_leader)
    sheet = sheet_of(agency_month, world.cadre_a.pk)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "commune_a_cadre")
    page.goto("/evaluation/")
    page.get_by_test_id("my-sheet").click()
    page.wait_for_url(f"**/evaluation/sheets/{sheet.pk}/")
    assert page.get_by_test_id("sheet-status").inner_text() == "Chờ tự đánh giá"
    for testid in ("evidence-tasks", "evidence-fieldwork", "evidence-petitions", "evidence-campaigns"):
        assert page.get_by_test_id(testid).is_visible()
    page.get_by_label("Chính trị, tư tưởng, đạo đức, lối sống, văn hóa, kỷ luật, kỷ cương").fill("10")
    page.get_by_label("Năng lực, trách nhiệm, thái độ phục vụ nhân dân, phối hợp").fill("10")
    page.get_by_label("Đi cơ sở, bám địa bàn, tham gia phong trào").fill("5")
    page.get_by_label("Đổi mới, sáng tạo, dám nghĩ, dám làm").fill("4.5")
    page.get_by_label("Tự nhận xét").fill("Hoàn thành các việc được giao, đi cơ sở đủ ngày.")
    assert fits_the_width(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "evaluation-1-phone-step1.png"), full_page=True)
    page.get_by_test_id("self-submit").click()
    page.locator(".alert-success").wait_for()
    assert page.get_by_test_id("sheet-status").inner_text() == "Đã tự đánh giá, chờ người đánh giá"
    page.get_by_test_id("why").locator("summary").click()
    assert fits_the_width(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "evaluation-2-phone-why.png"), full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "commune_a_leader")
    page.goto("/evaluation/assess/")
    page.get_by_test_id("assess-sheet").click()
    page.wait_for_url(f"**/evaluation/sheets/{sheet.pk}/")
    form = page.get_by_test_id("assess-form")
    form.locator("#p_innovation").fill("4")
    form.locator("[name=r_innovation]").fill("Sáng kiến chưa được công nhận")
    page.get_by_test_id("assess-submit").click()
    page.wait_for_url("**/evaluation/assess/")

    page.goto("/evaluation/months/")
    page.get_by_test_id("agency-month").click()
    page.wait_for_url(f"**/evaluation/months/{agency_month.pk}/")
    above = page.get_by_test_id("above-line")
    assert "Sân Tiến Phúc" in above.inner_text()  # 96.67 against 100.00: the lower of two excellent
    assert page.get_by_test_id("conclude").is_disabled()
    page.screenshot(path=str(artifacts / "evaluation-3-desktop-cap.png"), full_page=True)
    row = page.get_by_test_id("conclusion-row").filter(has_text="Sân Tiến Phúc")
    row.locator("select").select_option("good")
    page.get_by_test_id("preview").click()
    page.get_by_test_id("distribution").wait_for()
    assert page.get_by_test_id("above-line").count() == 0
    page.get_by_test_id("conclude").click()
    page.locator(".alert-success").wait_for()
    assert page.get_by_test_id("month-status").inner_text() == "Đã kết luận, khóa"
    assert page.get_by_test_id("above-line").count() == 0
    row = page.get_by_test_id("conclusion-row").filter(has_text="Sân Tiến Phúc")
    assert "Hoàn thành tốt nhiệm vụ" in row.inner_text()  # as concluded, beside the grade by score
    page.screenshot(path=str(artifacts / "evaluation-4-desktop-concluded.png"), full_page=True)

    agency_month.refresh_from_db()
    assert agency_month.status == MonthStatus.CONCLUDED
    sheet.refresh_from_db()
    assert (sheet.status, sheet.grade, str(sheet.total)) == (SheetStatus.CONCLUDED, "good", "96.67")
    assert sorted(Sheet.objects.values_list("grade", flat=True)) == ["excellent", "good", "good", "good", "good"]
