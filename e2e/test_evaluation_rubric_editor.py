"""The rubric editor in a browser: a province administrator opens a new version from the national
default on a desktop (1280 wide) and on a phone (390×844), changes a criterion's points and a threshold
in the rows and fields, is told which criterion and field is wrong, then issues the version. Screenshots
go to the artifacts folder."""

from __future__ import annotations

import pytest

from gandan.evaluation.models import Rubric
from gandan.evaluation.services import default_rubrics_ensure
from gandan.people.models import Role
from gandan.people.testing import build_world, make_user

from .test_evaluation_month import fits_the_width, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_province_administrator_issues_a_rubric_version_through_the_form(page, artifacts):
    page.set_default_timeout(60_000)  # a loaded machine: the editor's page is long
    world = build_world()
    make_user("tinh_admin", role=Role.UNIT_ADMIN, unit=world.province)
    default_rubrics_ensure()  # a browser test's flushed database has lost the migration's seeds
    base = Rubric.objects.get(province=None, kind="civil_servant")
    login(page, "tinh_admin")
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
