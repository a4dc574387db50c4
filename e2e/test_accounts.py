"""A unit administrator makes an account for a cadre; the new user must change the password at first login."""

from __future__ import annotations

import pytest

from gandan.people.models import User
from gandan.people.testing import PASSWORD, build_world, make_cadre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW = "Lùng-Cúng-mùa-lúa-2026"


def _login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_administrator_makes_an_account_and_the_new_user_must_change_the_password(page, artifacts):
    page.set_viewport_size({"width": 1366, "height": 900})
    world = build_world()
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ", position="Công chức Tư pháp - Hộ tịch")

    _login(page, "commune_b_admin", PASSWORD)
    page.wait_for_url("**/")
    page.locator("aside").get_by_role("link", name="Tài khoản").click()
    page.get_by_role("link", name="Cán bộ chưa có tài khoản").click()
    row = page.locator(f'tr[data-cadre="{cadre.pk}"]')
    assert "Công chức Tư pháp - Hộ tịch" in row.inner_text()
    page.screenshot(path=str(artifacts / "accounts-cadres.png"), full_page=True)
    row.get_by_role("link", name="Tạo tài khoản").click()
    assert page.get_by_label("Tên đăng nhập").input_value() == "chuhm"
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.get_by_test_id("account-created").wait_for()
    password = page.get_by_test_id("new-password").inner_text().strip()
    page.screenshot(path=str(artifacts / "account-created.png"), full_page=True)
    assert User.objects.get(cadre=cadre).check_password(password)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")

    _login(page, "chuhm", password)
    page.wait_for_url("**/accounts/password/**")
    page.get_by_test_id("must-change").wait_for()
    page.goto("/units/")  # every other page waits
    page.wait_for_url("**/accounts/password/?next=%2Funits%2F")
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill("12345678901")
    page.get_by_label("Nhập lại mật khẩu mới").fill("12345678901")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.get_by_text("Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái.").wait_for()
    page.screenshot(path=str(artifacts / "password-change-refused.png"), full_page=True)
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_url("**/units/")
    page.get_by_text("Đã đổi mật khẩu.").wait_for()
    page.screenshot(path=str(artifacts / "password-changed.png"), full_page=True)
    user = User.objects.get(cadre=cadre)
    assert user.check_password(NEW) and not user.must_change_password


def test_a_grant_to_a_cadre_of_another_commune_asks_for_a_confirmed_reason(page, artifacts):
    page.set_viewport_size({"width": 1366, "height": 900})
    world = build_world()
    _login(page, "commune_b_admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/people/accounts/")
    page.get_by_label("Tên đăng nhập").fill("commune_a_cadre")
    page.get_by_label("Vai trò").select_option("leader")
    page.get_by_label("Đơn vị").select_option(str(world.commune_b.pk))
    page.get_by_role("button", name="Cấp quyền").click()
    page.get_by_test_id("cross-unit").wait_for()
    page.screenshot(path=str(artifacts / "grant-cross-unit.png"), full_page=True)
    page.get_by_label("Tôi xác nhận cấp quyền cho người không phải cán bộ của đơn vị này").check()
    page.get_by_label("Lý do (được ghi vào quyền và nhật ký thao tác)").fill("Biệt phái theo QĐ 12/QĐ-UBND")
    page.get_by_role("button", name="Cấp quyền").click()
    page.get_by_text("Đã cấp quyền cho commune_a_cadre.").wait_for()
    page.screenshot(path=str(artifacts / "grant-cross-unit-done.png"), full_page=True)
    assert world.commune_a_cadre.grants.get(unit=world.commune_b).cross_unit_reason == "Biệt phái theo QĐ 12/QĐ-UBND"
