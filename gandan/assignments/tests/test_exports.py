"""The gap list as a workbook, opened back: the line saying what it holds, the header, one row per
gap of the level, and nothing of another commune."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gandan.assignments.exports import gaps_xlsx
from gandan.assignments.testing import make_assignment
from gandan.org.testing import make_household

pytestmark = pytest.mark.django_db


def opened(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert book.sheetnames == ["Chỗ trống"]
    sheet = book.active
    assert sheet is not None  # a saved workbook has its sheet
    return list(sheet.iter_rows(values_only=True))


def test_the_household_gaps_of_a_commune(world):
    make_household(world.village_a2, "Hờ A Chứ", address="Bản Cốc Pảng")
    rows = opened(gaps_xlsx(world.commune_a, "household"))
    assert rows[0] == ("Địa bàn chưa có người phụ trách chính", "Xã Nghĩa Thuận", "Hộ gia đình",
                       timezone.localdate().strftime("%d/%m/%Y"), None)
    assert rows[1] == ("Mã hộ", "Chủ hộ", "Thôn, bản", "Xã, phường", "Địa chỉ")
    assert sorted(rows[2:]) == sorted([
        (world.household_a1.code, "Vàng Seo Sử", "Thôn Nậm Lìn", "Xã Nghĩa Thuận", world.household_a1.address or None),
        (world.village_a2.households.get().code, "Hờ A Chứ", "Thôn Cốc Pảng", "Xã Nghĩa Thuận", "Bản Cốc Pảng")])


def test_the_village_gaps_leave_out_the_villages_followed(world):
    make_assignment(world.cadre_a, unit=world.village_a1)
    rows = opened(gaps_xlsx(world.commune_a, "village"))
    assert rows[0][:3] == ("Địa bàn chưa có người phụ trách chính", "Xã Nghĩa Thuận", "Thôn, bản, tổ dân phố")
    assert rows[1] == ("Mã", "Tên", "Loại", "Trực thuộc")
    assert rows[2:] == [(world.village_a2.code, "Thôn Cốc Pảng", "thôn", "Xã Nghĩa Thuận")]


def test_the_header_is_bold_and_stays_in_view(world):
    sheet = load_workbook(io.BytesIO(gaps_xlsx(world.commune_a, "village").getvalue())).active
    assert sheet.freeze_panes == "A3"
    assert all(cell.font.bold for cell in sheet[2]) and not sheet["A1"].font.bold
