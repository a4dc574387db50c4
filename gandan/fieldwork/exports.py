"""Excel exports of the visit list and of quota compliance, streamed to the browser while the rows are
read (core.tabular.xlsx_download)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core.tabular import xlsx_download
from gandan.fieldwork import queries
from gandan.fieldwork.compliance import FIELD_DAYS, MEETINGS, VISITS


def _workbook(title: str, header: list[str], rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    return xlsx_download(filename, title, header, rows)


def visits_xlsx(qs: QuerySet) -> StreamingHttpResponse:
    header = [_("Mã"), _("Ngày"), _("Cán bộ"), _("Cơ quan"), _("Loại"), _("Nơi đến"), _("Ghi chú"),
              _("Cách tâm đơn vị (km)"), _("Ghi sau (ngày)"), _("Thời điểm ghi")]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _workbook(_("Đi cơ sở"), header, queries.export_rows(qs), f"di-co-so-{stamp}.xlsx")


def compliance_xlsx(report: queries.ComplianceReport) -> StreamingHttpResponse:
    header = [_("Cán bộ"), _("Cơ quan"), _("Đơn vị"), _("Ngày xuống thôn, bản"), _("Chỉ tiêu"), _("Lần đi cơ sở"),
              _("Chỉ tiêu"), _("Cuộc họp phải dự"), _("Đã dự"), _("Đạt chỉ tiêu"), _("Chậm")]
    names = {FIELD_DAYS: _("ngày xuống thôn, bản"), VISITS: _("lần đi cơ sở"), MEETINGS: _("dự họp")}

    def target(c: queries.CadreResult, name: str) -> int:
        measure = c.result.measure(name)
        return measure.target if measure else 0

    rows = ([c.full_name, c.agency_name, c.unit_name, c.activity.field_days, target(c, FIELD_DAYS), c.activity.visits,
             target(c, VISITS), c.activity.meetings_expected, c.activity.meetings_attended,
             _("có") if c.result.met else _("không"), ", ".join(names[b] for b in c.result.behind)]
            for c in report.cadres)
    return _workbook(_("Chỉ tiêu"), header, rows, f"chi-tieu-di-co-so-{report.month:%Y-%m}.xlsx")
