from __future__ import annotations

import pytest

from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_logs_in_searches_without_diacritics_and_opens_the_commune(page, artifacts):
    world = build_world()
    page.goto("/")  # the public landing page, which links to the cadres' login
    page.get_by_role("link", name="Đăng nhập").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("province_committee")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    assert page.get_by_text("Tỉnh Tuyên Quang").first.is_visible()

    page.goto("/units/")
    page.get_by_placeholder("Tìm theo tên").fill("nghia thuan")  # htmx searches as the user types
    result = page.get_by_test_id("search-result").filter(has_text="Xã Nghĩa Thuận")
    result.wait_for()
    page.screenshot(path=str(artifacts / "unit-search.png"), full_page=True)
    result.click()
    page.wait_for_url(f"**/units/{world.commune_a.pk}/")
    assert page.get_by_role("heading", name="Xã Nghĩa Thuận").is_visible()
    assert page.get_by_role("cell", name="Thôn Nậm Lìn").is_visible()
    page.get_by_role("tab", name="Cán bộ").click()
    page.get_by_role("link", name="Sân Tiến Phúc").click()
    page.wait_for_url(f"**/cadres/{world.cadre_a.pk}/")
    page.screenshot(path=str(artifacts / "cadre.png"), full_page=True)
    assert page.get_by_role("heading", name="Sân Tiến Phúc").is_visible()


def test_the_tree_expands_and_english_is_switchable(page, artifacts):
    world = build_world()
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("commune_a_leader")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    page.goto("/units/")
    page.locator(".tree .toggle").first.click()
    page.get_by_role("link", name="Thôn Nậm Lìn").wait_for()
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.wait_for_load_state()
    page.get_by_role("heading", name="Administrative units").wait_for()
    page.screenshot(path=str(artifacts / "tree-english.png"), full_page=True)
    assert world.commune_b.name not in page.content()
