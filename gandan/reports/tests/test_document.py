"""The periodic report as Word (Decree 30/2020 form 1.4), PDF and XLSX: opened back by their libraries,
the figures compared with the database, the layout checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Q
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import load_workbook

from gandan.fieldwork.models import Visit
from gandan.petitions.models import Petition
from gandan.reports import document
from gandan.reports.periods import parse
from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER

pytestmark = pytest.mark.django_db
ON = dt.date(2027, 1, 5)


@pytest.fixture
def word(october):
    rebuild_month(OCTOBER)
    rebuild_month(OCTOBER.replace(month=9))
    return Document(io.BytesIO(document.render_docx(october.commune_a, parse("2026-10"), number=5, on=ON)))


def texts(doc) -> list[str]:
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


def paragraph(doc, text: str):
    for p in [*doc.paragraphs, *(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs)]:
        if p.text.startswith(text):
            return p
    raise AssertionError(text)


def test_the_page_is_a4_with_the_decrees_margins_and_times_new_roman(word):
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    top, bottom, left, right = (round(m.mm, 1) for m in (section.top_margin, section.bottom_margin,
                                                          section.left_margin, section.right_margin))
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert word.styles["Normal"].font.name == "Times New Roman"
    fonts = {r.font.name for p in word.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def test_the_header_blocks_number_place_and_date(word):
    parent, issuing = paragraph(word, "UBND TỈNH TUYÊN QUANG"), paragraph(word, "ỦY BAN NHÂN DÂN XÃ NGHĨA THUẬN")
    assert not parent.runs[0].bold and Pt(12) <= parent.runs[0].font.size <= Pt(13)
    assert issuing.runs[0].bold
    nation = paragraph(word, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert nation.runs[0].bold and Pt(12) <= nation.runs[0].font.size <= Pt(13)
    motto = paragraph(word, "Độc lập - Tự do - Hạnh phúc")
    assert motto.runs[0].bold and Pt(13) <= motto.runs[0].font.size <= Pt(14)
    assert paragraph(word, "Số: 05/BC-UBND").text == "Số: 05/BC-UBND"
    place = paragraph(word, "Nghĩa Thuận, ngày")
    assert place.text == "Nghĩa Thuận, ngày 05 tháng 01 năm 2027" and place.runs[0].italic
    title = paragraph(word, "BÁO CÁO")
    assert title.runs[0].bold and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph(word, "Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang.")


def test_the_body_is_justified_with_a_first_line_indent(word):
    body = paragraph(word, "Về đi cơ sở")
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.0 <= body.paragraph_format.first_line_indent.cm <= 1.27
    assert Pt(13) <= body.runs[0].font.size <= Pt(14)


def test_recipients_signature_and_page_numbers_from_page_two(word):
    heading = paragraph(word, "Nơi nhận:")
    assert heading.runs[0].bold and heading.runs[0].italic and heading.runs[0].font.size == Pt(12)
    first = paragraph(word, "- Ủy ban nhân dân tỉnh Tuyên Quang;")
    assert first.runs[0].font.size == Pt(11)
    assert paragraph(word, "- Lưu: VT, VP.")
    assert paragraph(word, "TM. ỦY BAN NHÂN DÂN").runs[0].bold and paragraph(word, "CHỦ TỊCH").runs[0].bold
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()


def test_the_figures_of_the_word_table_equal_the_database(october, word):
    w = october
    [table] = [t for t in word.tables if t.rows[0].cells[1].text == "Chỉ tiêu"]
    rows = {r.cells[1].text: (r.cells[2].text, r.cells[3].text) for r in table.rows[1:]}
    visits = Visit.objects.filter(date__gte="2026-10-01", date__lt="2026-11-01", cadre__unit=w.commune_a).count()
    before = Visit.objects.filter(date__gte="2026-09-01", date__lt="2026-10-01", cadre__unit=w.commune_a).count()
    assert rows["Lượt đi cơ sở"] == (str(visits), str(before)) == ("6", "1")
    raised = Petition.objects.filter(Q(unit=w.commune_a) | Q(unit__parent=w.commune_a)).count()
    assert rows["Phản ánh phát sinh tại địa bàn"][0] == str(raised) == "2"
    assert rows["Lượt người dân tham gia"][0] == "65"
    assert rows["Tỷ lệ thôn có người phụ trách"][0] == "50%"
    assert "Về đi cơ sở: cán bộ thực hiện 6 lượt đi cơ sở (kỳ trước 1)" in paragraph(word, "Về đi cơ sở").text


def test_every_table_as_xlsx_with_the_same_numbers(october):
    rebuild_month(OCTOBER)
    book = load_workbook(io.BytesIO(document.render_xlsx(october.commune_a, parse("2026-10"))))
    figures, below = book.worksheets
    rows = {r[1]: r[2] for r in figures.iter_rows(min_row=3, values_only=True)}
    assert rows["Lượt đi cơ sở"] == 6 and rows["Lượt người dân tham gia"] == 65
    villages = {r[0]: r for r in below.iter_rows(min_row=2, values_only=True)}
    assert set(villages) == {october.village_a1.name, october.village_a2.name}
    assert villages[october.village_a2.name][6] == 25  # its event's citizens


def test_the_pdf_renders_with_its_text(october):
    if document.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF is not rendered on this machine")
    from pypdf import PdfReader

    rebuild_month(OCTOBER)
    pdf = document.render(october.commune_a, parse("2026-10"), "pdf", number=5, on=ON)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 4
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "BÁO CÁO" in text and "Số: 05/BC-UBND" in text and "Nghĩa Thuận" in text
