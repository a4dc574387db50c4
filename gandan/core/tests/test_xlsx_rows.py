"""The streaming XLSX reader gives what openpyxl's read-only reader gives, for the files people send."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from gandan.core.tabular import Column, Table, TabularError, xlsx
from gandan.core.xlsx_rows import XlsxError, XlsxRows

COLUMNS = (Column("ma_ho", "code", True, "", ""), Column("chu_ho", "head_name", True, "", ""),
           Column("ngay", "day", False, "", ""))


def openpyxl_rows(data: bytes) -> list[tuple[int, list]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    found = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return [(n, c) for n, c in found if any(v is not None for v in c)]


def streamed_rows(data: bytes) -> list[tuple[int, list]]:
    reader = XlsxRows(io.BytesIO(data))
    try:
        return [(n, c) for n, c in reader.rows() if any(v is not None for v in c)]
    finally:
        reader.close()


def trimmed(rows: list[tuple[int, list]]) -> list[tuple[int, list]]:
    out = []
    for number, cells in rows:
        while cells and cells[-1] is None:
            cells = cells[:-1]
        out.append((number, cells))
    return out


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_style_workbook_reads_as_openpyxl_reads_it():
    """Shared strings, numbers, dates and times, booleans, gaps between rows and columns, 1904 dates."""
    for calendar in (False, True):
        book = openpyxl.Workbook()
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if calendar else book.epoch
        sheet = book.active
        sheet.append(["ma_ho", "chu_ho", "ngay", "so", "co"])
        sheet.append(["HGD-1", "Vàng Thị Mỷ", dt.date(2025, 7, 1), 5, True])
        sheet.append(["HGD-2", "  Lò Văn Sáng ", dt.datetime(2025, 7, 1, 8, 30), 2.5, False])
        sheet["B7"] = "xa"  # a gap of rows, and a row starting in its second column
        sheet["E7"] = 912345678
        sheet["C8"] = dt.timedelta(hours=30)
        sheet["C8"].number_format = "[h]:mm:ss"
        data = saved(book)
        assert trimmed(streamed_rows(data)) == trimmed(openpyxl_rows(data))
        assert streamed_rows(data)[1][1][2] == dt.datetime(2025, 7, 1)


def test_the_apps_own_export_reads_as_openpyxl_reads_it():
    """Inline strings, styled dates and numbers, formula-like texts kept as text."""
    data = xlsx("Hộ", ["ma_ho", "chu_ho", "ngay", "ty_le"],
                [["HGD-1", "=1+1", dt.date(2025, 1, 31), 0.25], ["HGD-2", "Đinh Thị Ả", None, 3]],
                above=["Danh sách hộ"], percent_columns=[4])
    assert trimmed(streamed_rows(data)) == trimmed(openpyxl_rows(data))


def workbook(sheet_xml: str, shared: str = "", styles: str = "") -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets>'
                      '<sheet name="A" sheetId="1" r:id="rId7"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels",
                      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId7" Type="{rel}/worksheet" Target="/xl/worksheets/data.xml"/>'
                      "</Relationships>")
        book.writestr("xl/worksheets/data.xml", sheet_xml.replace("NS", ns))
        if shared:
            book.writestr("xl/sharedStrings.xml", shared.replace("NS", ns))
        if styles:
            book.writestr("xl/styles.xml", styles.replace("NS", ns))
    return out.getvalue()


def test_rich_text_prefixes_rows_without_numbers_and_cached_formula_values():
    """What other writers send: runs of rich text (phonetic guides left out), a namespace prefix, rows
    and cells without a reference, a formula's cached value, an error value, a custom date format."""
    shared = ('<sst NS><si><t>ma_ho</t></si><si><r><t>Nguyễn </t></r><r><rPr><b/></rPr><t>Văn A</t></r>'
              "<rPh><t>ふりがな</t></rPh></si></sst>")
    styles = ('<styleSheet NS><numFmts><numFmt numFmtId="170" formatCode="dd/mm/yyyy;@"/></numFmts>'
              '<cellXfs><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs></styleSheet>')
    sheet = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:dimension ref="A1:D3"/><x:sheetData>'
             '<x:row><x:c t="s"><x:v>0</x:v></x:c></x:row>'
             '<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c s="1"><x:v>45839</x:v></x:c>'
             '<x:c t="str"><x:f>A2&amp;"!"</x:f><x:v>Nguyễn Văn A!</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>'
             '<x:row r="5"><x:c r="D5"><x:v>1.5E3</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    data = workbook(sheet, shared, styles)
    reader = XlsxRows(io.BytesIO(data))
    assert reader.dimension_rows == 3
    assert list(reader.rows()) == [(1, ["ma_ho"]),
                                   (2, ["Nguyễn Văn A", dt.datetime(2025, 7, 1), "Nguyễn Văn A!", "#N/A"]),
                                   (5, [None, None, None, 1500.0])]


def test_rows_come_with_the_line_people_see_and_blank_rows_are_skipped():
    sheet = ('<worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ma_ho</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>chu_ho</t></is></c></row>'
             '<row r="4"><c r="A4" t="inlineStr"><is><t> H1 </t></is></c><c r="B4" t="inlineStr"><is><t>A &amp; B</t>'
             '</is></c></row><row r="6"><c r="B6" t="inlineStr"><is><t></t></is></c></row></sheetData></worksheet>')
    with Table(io.BytesIO(workbook(sheet)), "ho.xlsx", COLUMNS) as table:
        assert [(row.line, row.cells) for row in table.rows()] == [(4, {"ma_ho": "H1", "chu_ho": "A & B"})]


def test_a_header_not_on_line_1_is_a_missing_header():
    sheet = ('<worksheet NS><sheetData><row r="2"><c t="inlineStr"><is><t>ma_ho</t></is></c></row></sheetData>'
             "</worksheet>")
    with pytest.raises(TabularError) as caught:
        Table(io.BytesIO(workbook(sheet)), "ho.xlsx", COLUMNS)
    assert caught.value.line == 1 and "ma_ho" in caught.value.field


@pytest.mark.parametrize("sheet", [
    # an entity that would expand (billion laughs) or read a file: no DTD is accepted at all
    '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet NS><sheetData><row><c t="inlineStr"><is><t>&a;</t></is>'
    "</c></row></sheetData></worksheet>",
    '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><worksheet NS><sheetData/></worksheet>',
])
def test_dtds_and_entities_are_refused(sheet):
    with pytest.raises(XlsxError):
        XlsxRows(io.BytesIO(workbook(sheet)))
    with pytest.raises(TabularError):
        Table(io.BytesIO(workbook(sheet)), "ho.xlsx", COLUMNS)


def test_a_sheet_broken_after_its_header_stops_the_read_with_a_sentence():
    sheet = ('<worksheet NS><sheetData><row r="1"><c t="inlineStr"><is><t>ma_ho</t></is></c><c t="inlineStr">'
             "<is><t>chu_ho</t></is></c></row>" + "<row><c t=\"inlineStr\"><is><t>H</t></is></c></row>" * 5000
             + "<row><c></row></sheetData></worksheet>")
    with Table(io.BytesIO(workbook(sheet)), "ho.xlsx", COLUMNS) as table, pytest.raises(TabularError) as caught:
        list(table.rows())
    assert "không phải là tệp Excel .xlsx hợp lệ" in str(caught.value)


def test_a_workbook_without_its_parts_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("word/document.xml", "<w/>")
    with pytest.raises(TabularError):
        Table(io.BytesIO(out.getvalue()), "ho.xlsx", COLUMNS)
