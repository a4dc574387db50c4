"""The one writer of exported workbooks (core.tabular.xlsx), opened back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from gandan.core.tabular import XLSX_TYPE, download, xlsx


def test_a_sheet_has_its_header_in_bold_frozen_then_the_rows():
    content = xlsx("Một tên trang tính dài hơn ba mươi mốt ký tự", ["Mã", "Ngày"],
                   ([f"X{i}", dt.date(2026, 1, i)] for i in range(1, 4)))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Một tên trang tính dài hơn ba m"  # Excel's 31 characters
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Mã", "Ngày") and [r[0] for r in rows[1:]] == ["X1", "X2", "X3"]
    assert rows[3][1] == dt.datetime(2026, 1, 3)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.column_dimensions["A"].width == 12


def test_a_line_above_the_header_and_percent_columns():
    content = xlsx("Tỷ lệ", ["Đơn vị", "Tỷ lệ đúng hạn"], [["Xã A", 0.875], ["Xã B", None]],
                   above=["Tỷ lệ tháng 1/2026"], percent_columns=(2,))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [r for r in sheet.iter_rows(values_only=True)] == [
        ("Tỷ lệ tháng 1/2026", None), ("Đơn vị", "Tỷ lệ đúng hạn"), ("Xã A", 0.875), ("Xã B", None)]
    assert sheet.freeze_panes == "A3" and sheet["B2"].font.bold
    assert sheet["B3"].number_format == "0.0%" and sheet["A3"].number_format == "General"
    assert sheet.column_dimensions["B"].width == len("Tỷ lệ đúng hạn") + 2


def test_a_download_is_an_attachment():
    response = download(b"PK", "chi-tieu.xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu.xlsx"'
