"""Builds report_template.docx, the editable Word template of the periodic report (Decree 30/2020/NĐ-CP,
Appendix I, form 1.4), with python-docx. The .docx is the template: a unit may open it in Word and
restyle it, keeping the {{ … }} fields; this script only makes the first version.

    .venv/bin/python gandan/reports/docx/make_template.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
OUT = Path(__file__).with_name("report_template.docx")


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(container, text: str, size: float = 14, *, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0, indent: bool = False):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule(container, width_cm: float, cell_width_cm: float):
    """A short centred line under a header block: the top border of an empty, indented paragraph."""
    p = container.add_paragraph()
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.space_after = Pt(0)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    p._p.get_or_add_pPr().append(borders)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, *widths_cm: float) -> None:
    """Fixed column widths (Word and LibreOffice both honour them only when set on every cell)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)


def _page_number_header(section) -> None:
    """Page numbers centred at the top from page 2: a different (empty) first-page header."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def build(path: Path = OUT) -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number_header(section)

    header = doc.add_table(rows=2, cols=2)
    _no_borders(header)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(header, 6.5, 10)
    left, right = header.rows[0].cells
    _font(left.paragraphs[0].add_run("{{ parent_body|upper }}"), 13)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, "{{ issuing_body|upper }}", 13, bold=True)
    _rule(left, 2.5, 6.5)
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    _rule(right, 5.5, 10)
    number, place = header.rows[1].cells
    _font(number.paragraphs[0].add_run("Số: {{ number }}/BC-{{ body_code }}"), 13)
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(place.paragraphs[0].add_run("{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"), 14,
          italic=True)
    place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _para(doc, "", 14)
    _para(doc, "BÁO CÁO", 14, bold=True)
    _para(doc, "{{ summary }}", 14, bold=True)
    _rule(doc, 3, 16.5)
    _para(doc, "Kính gửi: {{ recipient }}.", 14, after=6)

    _para(doc, "{%p for text in body %}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, "{{ text }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    _para(doc, "{%p endfor %}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    figures = doc.add_table(rows=4, cols=4)
    figures.style = "Table Grid"
    figures.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(figures, 4, 7.5, 2.5, 2.5)
    for cell, text in zip(figures.rows[0].cells, ("{{ col_block }}", "{{ col_measure }}", "{{ col_current }}",
                                                   "{{ col_previous }}"), strict=True):
        _font(cell.paragraphs[0].add_run(text), 12, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(figures.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in rows %}"), 12)
    for i, text in enumerate(("{{ row.block }}", "{{ row.label }}", "{{ row.current }}", "{{ row.previous }}")):
        paragraph = figures.rows[2].cells[i].paragraphs[0]
        _font(paragraph.add_run(text), 12)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if i >= 2 else WD_ALIGN_PARAGRAPH.LEFT
    _font(figures.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}"), 12)

    _para(doc, "{%p for text in closing %}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, "{{ text }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    _para(doc, "{%p endfor %}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    footer = doc.add_table(rows=1, cols=2)
    _no_borders(footer)
    _widths(footer, 8, 8.5)
    recipients, signature = footer.rows[0].cells
    _font(recipients.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    recipients.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    _para(recipients, "{%p for r in recipients %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(recipients, "- {{ r }};", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(recipients, "{%p endfor %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(recipients, "- Lưu: VT, {{ archive }}.", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _font(signature.paragraphs[0].add_run("{{ on_behalf|upper }}"), 14, bold=True)
    signature.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(signature, "{{ signer_title|upper }}", 14, bold=True)
    for _blank in range(4):
        _para(signature, "", 14)
    _para(signature, "{{ signer_name }}", 14, bold=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
