"""The periodic report of a unit for a period as an official document (Decree 30/2020/NĐ-CP,
Appendix I, form 1.4): a Word file filled from the editable template docx/report_template.docx with
docxtpl, the same as PDF (LibreOffice, headless), and its tables as an XLSX workbook. The figures are
the dashboard's (queries.report_figures over the rollups). An official document is in Vietnamese,
whatever the language of the person who asks for it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from openpyxl import Workbook
from openpyxl.styles import Font

from gandan.org.models import AdminUnit
from gandan.reports import figures, queries
from gandan.reports.labels import BLOCK_TITLES, CHILD_COLUMNS, label_of
from gandan.reports.periods import Period

TEMPLATE = Path(__file__).with_name("docx") / "report_template.docx"
FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed on this machine."""


@dataclass(frozen=True)
class TableRow:
    block: str
    label: str
    current: Decimal | float | None
    previous: Decimal | float | None
    percent: bool


def _number(value: Decimal | float | None, percent: bool) -> str:
    if value is None:
        return "—"
    if value == int(value):
        value = int(value)
    text = formats.number_format(value, use_l10n=True, force_grouping=True)
    return f"{text}%" if percent else text


def table_rows(unit_figures: queries.UnitFigures, *, all_rows: bool = False) -> list[TableRow]:
    """The figures of every block (rates first), for the Word table and the XLSX sheet; without
    `all_rows`, those with nothing to count in either period are left out (no villages in a ward…)."""
    rows: list[TableRow] = []
    names = queries.indicator_names([unit_figures.current, unit_figures.previous])
    for block in figures.BLOCKS:
        title = str(BLOCK_TITLES[block])
        for code, num, den in figures.RATES[block]:
            rows.append(TableRow(title, label_of(code), figures.rate(unit_figures.current, num, den).percent,
                                 figures.rate(unit_figures.previous, num, den).percent, True))
        for code in figures.block_measures(block, [unit_figures.current]):
            rows.append(TableRow(title, label_of(code, names), figures.value(unit_figures.current, code),
                                 figures.value(unit_figures.previous, code), False))
    return [r for r in rows if all_rows or r.current or r.previous]


def _body(unit: AdminUnit) -> str:
    """"Ủy ban nhân dân xã Nghĩa Thuận": the kind in lower case inside a name, as documents write it."""
    kind = (unit.division_type or "").strip()
    name = f"{kind} {_place(unit)}" if kind else unit.name
    return _("Ủy ban nhân dân %(unit)s") % {"unit": name}


def _place(unit: AdminUnit) -> str:
    """"Xã Nghĩa Thuận" → "Nghĩa Thuận": the place line names the place, not its kind."""
    name = unit.name
    kind = (unit.division_type or "").strip()
    if kind and name.lower().startswith(kind.lower() + " "):
        return name[len(kind) + 1:]
    return name


def context(unit: AdminUnit, period: Period, *, number: int, on: dt.date, signer_name: str = "") -> dict[str, Any]:
    found = queries.report_figures(unit, period)
    rows = table_rows(found)
    cur, prev = found.current, found.previous
    parent = unit.parent
    body = [
        _("Thực hiện chế độ thông tin, báo cáo định kỳ, %(body)s báo cáo kết quả công tác gần dân kỳ %(period)s "
          "như sau:") % {"body": _body(unit), "period": period.label()},
        _("Về đi cơ sở: cán bộ thực hiện %(visits)s lượt đi cơ sở (kỳ trước %(before)s), trong đó %(days)s lượt "
          "ngày xuống thôn, bản.") % {"visits": _number(figures.value(cur, "visits"), False),
                                       "before": _number(figures.value(prev, "visits"), False),
                                       "days": _number(figures.value(cur, "field_days"), False)},
        _("Về phản ánh, kiến nghị: tiếp nhận %(received)s phản ánh; tỷ lệ tiếp nhận %(response)s, giải quyết đúng "
          "hạn %(on_time)s, hài lòng %(satisfied)s.") % {
            "received": _number(figures.value(cur, "concerns_received"), False),
            "response": _number(figures.rate(cur, "concerns_responded", "concerns_received").percent, True),
            "on_time": _number(figures.rate(cur, "concerns_resolved_on_time", "concerns_settled").percent, True),
            "satisfied": _number(figures.rate(cur, "concerns_satisfied", "concerns_rated").percent, True)},
        _("Về phong trào: tổ chức %(events)s đợt ra quân với %(cadres)s lượt cán bộ và %(citizens)s lượt người dân "
          "tham gia.") % {"events": _number(figures.value(cur, "events"), False),
                          "cadres": _number(figures.value(cur, "cadre_participations"), False),
                          "citizens": _number(figures.value(cur, "citizens"), False)},
        _("Số liệu chi tiết theo bảng sau:"),
    ]
    recipient = _body(parent) if parent else _("Văn phòng Chính phủ")
    return {
        "parent_body": _("UBND %(unit)s") % {"unit": parent.name} if parent else "",
        "issuing_body": _body(unit), "body_code": "UBND",
        "number": f"{number:02d}",
        "place": _place(unit), "day": f"{on.day:02d}", "month": f"{on.month:02d}", "year": str(on.year),
        "summary": _("Kết quả công tác gần dân kỳ %(period)s") % {"period": period.label()},
        "recipient": recipient, "body": body,
        "col_block": _("Lĩnh vực"), "col_measure": _("Chỉ tiêu"), "col_current": _("Kỳ này"),
        "col_previous": _("Kỳ trước"),
        "rows": [{"block": r.block if i == 0 or rows[i - 1].block != r.block else "", "label": r.label,
                  "current": _number(r.current, r.percent), "previous": _number(r.previous, r.percent)}
                 for i, r in enumerate(rows)],
        "closing": [_("Trên đây là báo cáo kết quả công tác gần dân kỳ %(period)s của %(body)s.")
                    % {"period": period.label(), "body": _body(unit)}],
        "recipients": [recipient, _("Thường trực Đảng ủy")], "archive": "VP",
        "on_behalf": _("TM. Ủy ban nhân dân"), "signer_title": _("Chủ tịch"), "signer_name": signer_name,
        "table": rows,
    }


def render_docx(unit: AdminUnit, period: Period, *, number: int = 1, on: dt.date, template: Path = TEMPLATE,
                signer_name: str = "") -> bytes:
    with translation.override("vi"):
        doc = DocxTemplate(str(template))
        doc.render(context(unit, period, number=number, on=on, signer_name=signer_name))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, timeout: int = 120) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable(_("Máy chủ chưa cài LibreOffice nên chưa xuất được PDF."))
    with tempfile.TemporaryDirectory(prefix="gandan-report-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(content)
        subprocess.run([program, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", folder, str(source)], check=True, capture_output=True, timeout=timeout)
        return (Path(folder) / "report.pdf").read_bytes()


def render_xlsx(unit: AdminUnit, period: Period) -> bytes:
    """The report's tables: the unit's figures, and each unit below it (the dashboard's drill-down)."""
    with translation.override("vi"):
        found = queries.report_figures(unit, period)
        book = Workbook()
        sheet = book.active
        assert sheet is not None  # a new workbook has its sheet
        sheet.title = _("Số liệu")[:31]
        sheet.append([f"{unit.name} — {period.label()}"])
        sheet.append([_("Lĩnh vực"), _("Chỉ tiêu"), period.label(), period.previous().label()])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for r in table_rows(found):
            sheet.append([r.block, r.label, _cell(r.current), _cell(r.previous)])
        kids = list(queries.children_of(unit))
        if kids:
            below = book.create_sheet(_("Đơn vị trực thuộc")[:31])
            below.append([_("Đơn vị"), *[label_of(c) for c in CHILD_COLUMNS]])
            for cell in below[1]:
                cell.font = Font(bold=True)
            all_figures = queries.rollups_of(kids, period)
            for kid in kids:
                values = all_figures[kid.pk]
                below.append([kid.name, *[_cell(_column(values, c)) for c in CHILD_COLUMNS]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column(values: queries.UnitFigures, code: str) -> Decimal | float | None:
    for rates in figures.RATES.values():
        for rate_code, num, den in rates:
            if rate_code == code:
                return figures.rate(values.current, num, den).percent
    return figures.value(values.current, code)


def _cell(value: Decimal | float | None) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def render(unit: AdminUnit, period: Period, fmt: str, *, number: int = 1, on: dt.date) -> bytes:
    if fmt == "xlsx":
        return render_xlsx(unit, period)
    content = render_docx(unit, period, number=number, on=on)
    return docx_to_pdf(content) if fmt == "pdf" else content
