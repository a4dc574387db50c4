"""The rubric editor in a browser: a province administrator opens a new version from the national
default on a desktop (1280 wide) and on a phone (390×844), changes a criterion's points and a threshold
in the rows and fields, is told which criterion and field is wrong, then issues the version; on a phone
adds two criteria and removes one with the editor's script (rubric_rows.js), the rows' count kept right.
Screenshots go to the artifacts folder."""

from __future__ import annotations

import pytest

from gandan.evaluation.models import Rubric
from gandan.evaluation.services import default_rubrics_ensure
from gandan.people.models import Role
from gandan.people.testing import build_world, make_user

from .signing_in import log_in
from .test_evaluation_month import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_province_administrator_issues_a_rubric_version_through_the_form(page, artifacts):
    page.set_default_timeout(60_000)  # a loaded machine: the editor's page is long
    world = build_world()
    make_user("tinh_admin", role=Role.UNIT_ADMIN, unit=world.province)
    default_rubrics_ensure()  # a browser test's flushed database has lost the migration's seeds
    base = Rubric.objects.get(province=None, kind="civil_servant")
    log_in(page, "tinh_admin")
    page.goto("/evaluation/rubrics/")
    page.get_by_test_id("rubric-new").first.click()
    page.wait_for_url(f"**/evaluation/rubrics/{base.pk}/new/")
    page.screenshot(path=str(artifacts / "evaluation-rubric-editor-1280.png"), full_page=True)
    assert fits_the_width(page)
    page.fill("#g-1-max", "mười")
    page.fill("#good", "72")
    page.get_by_test_id("rubric-save").click()
    errors = page.get_by_test_id("rubric-errors")
    assert "Tiêu chí 2 (Năng lực, trách nhiệm" in errors.inner_text()
    assert page.input_value("#good") == "72"  # what was typed stays
    page.fill("#g-1-max", "9")
    page.get_by_test_id("rubric-add-criterion").click()  # the script has taken the blank rows away
    page.fill("#g-4-code", "service")
    page.fill("#g-4-label", "Phục vụ nhân dân")
    page.fill("#g-4-max", "1")
    page.fill("#r-name", "Bộ tiêu chí Tuyên Quang 2026")
    page.fill("#r-valid", "01/04/2026")
    page.select_option("#r-target", f"p{world.province.pk}")
    page.get_by_test_id("rubric-save").click()
    page.wait_for_selector('[data-testid="rubric-criteria"]')
    saved = Rubric.objects.get(name="Bộ tiêu chí Tuyên Quang 2026")
    assert [g["code"] for g in saved.body["general"]] == ["politics", "capacity", "grassroots", "innovation",
                                                          "service"]
    assert saved.body["thresholds"]["good"] == "72" and saved.province == world.province
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/evaluation/rubrics/{saved.pk}/new/")
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / "evaluation-rubric-editor-390.png"), full_page=False)
    page.goto(f"/evaluation/rubrics/{saved.pk}/")
    page.screenshot(path=str(artifacts / "evaluation-rubric-390.png"), full_page=False)


def _rows(page) -> int:
    return page.evaluate("document.querySelectorAll('[data-testid=\"rubric-general\"] [data-row]').length")


def test_on_a_phone_two_criteria_are_added_one_removed_and_the_new_version_has_them(page, artifacts):
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 390, "height": 844})
    world = build_world()
    make_user("tinh_admin", role=Role.UNIT_ADMIN, unit=world.province)
    default_rubrics_ensure()
    base = Rubric.objects.get(province=None, kind="civil_servant")
    log_in(page, "tinh_admin")
    page.goto(f"/evaluation/rubrics/{base.pk}/new/")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"rubric-add-criterion\"]').hidden")
    assert _rows(page) == 4  # the three blank rows are for a page without the script
    assert page.input_value('input[name="g-rows"]') == "4"
    add = page.get_by_test_id("rubric-add-criterion")
    add.click()
    add.click()
    page.wait_for_function("() => document.querySelector('input[name=\"g-rows\"]').value === '6'")
    for i, (code, label, points) in ((4, ("service", "Phục vụ nhân dân", "3")), (5, ("digital", "Chuyển đổi số", "2"))):
        page.fill(f"#g-{i}-code", code)
        page.fill(f"#g-{i}-label", label)
        page.fill(f"#g-{i}-max", points)
    page.select_option("#g-5-evidence", "tasks")
    # "innovation" (5 points) goes: the rows after it are numbered again, the count follows
    page.locator('[data-testid="rubric-general"] [data-row]').nth(3).get_by_test_id("rubric-remove-row").click()
    page.wait_for_function("() => document.querySelector('input[name=\"g-rows\"]').value === '5'")
    assert page.input_value("#g-3-code") == "service" and page.input_value("#g-4-code") == "digital"
    assert page.locator("#g-5-code").count() == 0
    assert page.inner_text('label[for="g-4-code"]').endswith("5")
    assert fits_the_width(page)
    page.get_by_test_id("rubric-general").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "evaluation-rubric-rows-390.png"), full_page=False)
    page.fill("#r-name", "Tỉnh thêm tiêu chí")
    page.fill("#r-valid", "01/05/2026")
    page.select_option("#r-target", f"p{world.province.pk}")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")  # the button clears the bar
    page.get_by_test_id("rubric-save").click()
    page.wait_for_selector('[data-testid="rubric-criteria"]')
    saved = Rubric.objects.get(name="Tỉnh thêm tiêu chí")
    assert [(g["code"], g["max"], g.get("evidence", "")) for g in saved.body["general"]] == [
        ("politics", "10", ""), ("capacity", "10", "petitions"), ("grassroots", "5", "fieldwork"),
        ("service", "3", ""), ("digital", "2", "tasks")]
    shown = page.get_by_test_id("rubric-criteria").inner_text()
    assert "Phục vụ nhân dân" in shown and "Chuyển đổi số" in shown and "Đổi mới, sáng tạo" not in shown
    page.get_by_test_id("rubric-criteria").get_by_text("Chuyển đổi số").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "evaluation-rubric-rows-saved-390.png"), full_page=False)
