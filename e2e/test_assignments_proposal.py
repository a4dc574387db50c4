"""A commune administrator opens the coverage of their commune, asks for a proposal to fill the
household gaps, accepts it and sees the coverage rise; a citizen then looks the village up."""

from __future__ import annotations

import re

import pytest

from gandan.assignments.models import Assignment
from gandan.assignments.testing import make_assignment
from gandan.org.testing import make_household
from gandan.people.testing import build_world, make_cadre

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_admin_fills_the_gaps_with_a_proposal_and_coverage_rises(page, artifacts):
    world = build_world()
    for i in range(11):
        make_household(world.village_b1, f"Hộ gia đình {i + 1}")
    helpers = [make_cadre(world.agency_b, name, position="Công chức") for name in ("Sùng Mí Pó", "Vừ Thị Sua")]
    make_assignment(helpers[0], unit=world.village_b1)

    log_in(page, "commune_b_admin")  # like the demo's quantri.quanba: unit administrator of Xã Quản Bạ
    page.get_by_role("link", name="Phân công địa bàn").first.click()
    page.get_by_role("link", name="Xem chi tiết và chỗ trống").click()
    page.wait_for_url(f"**/assignments/coverage/{world.commune_b.pk}/")
    assert page.get_by_test_id("covered-household").inner_text().startswith("0/12")

    page.get_by_role("tab", name="Chỗ trống").click()
    page.get_by_role("link", name="Hộ gia đình").click()
    page.get_by_test_id("propose").click()
    page.wait_for_url("**/propose/?level=household")
    assert "tìm được người cho 12" in page.get_by_test_id("proposal-summary").inner_text()
    rows = page.get_by_test_id("proposal").locator("tbody select")
    assert rows.count() == 12
    rows.nth(0).select_option(str(world.cadre_b.pk))  # the user changes one pick (to Lý Thị Mai)
    rows.nth(1).select_option("")  # and leaves one gap for later
    page.screenshot(path=str(artifacts / "assignments-proposal.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("accept").click()
    page.wait_for_url(f"**/assignments/coverage/{world.commune_b.pk}/**")
    assert page.get_by_text("Đã chấp nhận đề xuất: 11 phân công phụ trách chính mới.").is_visible()
    assert page.get_by_test_id("covered-household").inner_text().startswith("11/12")
    page.get_by_role("tab", name="Người phụ trách và mức tải").click()
    page.wait_for_function("() => getComputedStyle(document.querySelector('#tab-followers')).opacity === '1'")
    assert "Vừ Thị Sua" in page.get_by_test_id("followers").inner_text()
    page.screenshot(path=str(artifacts / "assignments-coverage-after.png"), full_page=True)
    assert Assignment.objects.filter(household__village=world.village_b1, role="primary").count() == 11
    loads = sorted(Assignment.objects.filter(household__isnull=False).values_list("cadre_id", flat=True))
    assert max(loads.count(c) for c in set(loads)) - min(loads.count(c) for c in set(loads)) <= 2  # balanced


def test_a_citizen_looks_up_who_follows_their_village(page, artifacts):
    world = build_world()
    make_assignment(world.cadre_a, unit=world.village_a1)
    page.goto("/assignments/lookup/")
    page.get_by_label("Tên thôn, bản hoặc xã").fill("nam lin")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name=re.compile("Thôn Nậm Lìn")).click()
    followers = page.get_by_test_id("village-followers")
    assert "Sân Tiến Phúc" in followers.inner_text()
    assert "0219 3846 111" in followers.inner_text()  # the office phone
    assert "0912345678" not in page.content()  # never the personal phone
    page.screenshot(path=str(artifacts / "assignments-lookup.png"), full_page=True)
