"""A unit administrator uploads a household file typed with TCVN3 and VNI fonts on a phone: the page
shows each cell before and after conversion, and one tap imports it in Unicode."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gandan.org.models import Household
from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_legacy_file_is_previewed_and_converted(page, artifacts, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["ma_ho", "chu_ho", "ma_thon", "dia_chi"],
                ["E1", b"Nguy\xd4n V\xa8n H\xb6i".decode("latin-1"), world.village_b1.code, "Xóm Dưới"],
                ["E2", b"\xd1o\xe3 Th\xf2 Ho\xe0ng".decode("latin-1"), world.village_b1.code,
                 b"Xo\xf9m Tre\xe2n".decode("latin-1")]]:
        sheet.append(row)
    path = tmp_path / "ho-tcvn3.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("commune_b_admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    page.goto("/imports/?kind=households")
    page.get_by_label("Loại dữ liệu").select_option("households")
    page.get_by_label("Tệp .xlsx hoặc .csv").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    preview = page.get_by_test_id("legacy-cells")
    preview.wait_for()
    assert "Nguyễn Văn Hải" in preview.inner_text() and "Xóm Trên" in preview.inner_text()
    page.screenshot(path=str(artifacts / "legacy-preview-phone.png"), full_page=True)
    assert not Household.objects.filter(code__startswith="E").exists()

    page.get_by_role("button", name="Chuyển sang Unicode và nhập").click()
    page.get_by_text("Đã chuyển 3 ô").wait_for()
    assert Household.objects.get(code="E2").address == "Xóm Trên"
    page.screenshot(path=str(artifacts / "legacy-converted-phone.png"), full_page=True)
