"""Signing in through the login page, as a person does, for the browser tests."""

from __future__ import annotations

from gandan.people.testing import PASSWORD


def log_in(page, username: str, *, landing: str | None = "**/") -> None:
    """Fill the login form and submit it; wait for `landing` (None: the caller waits, e.g. for the code step)."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if landing:
        page.wait_for_url(landing)
