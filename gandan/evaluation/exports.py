"""The month's result sheet and the year's summary as XLSX, in the layout agencies use (STT, họ và tên,
chức vụ, điểm tự chấm, điểm người đánh giá, tổng điểm, xếp loại, ghi chú), streamed through core.tabular."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from gandan.core.tabular import xlsx_download
from gandan.evaluation.models import AgencyMonth, AnnualResult, Grade, Sheet


def _grade(value: str) -> str:
    return str(Grade(value).label) if value in Grade.values else ""


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _sum(values: Sequence[Any]) -> float | None:
    given = [v for v in values if v is not None]
    return float(sum(given)) if given else None


def _month_rows(sheets: Sequence[Sheet]) -> Iterator[list[Any]]:
    for i, s in enumerate(sheets, start=1):
        scores = list(s.scores.all())
        note = _("Nghỉ theo chế độ") if s.on_leave else ", ".join(s.vetoes)
        yield [i, s.cadre.full_name, s.cadre.position, _sum([x.self_points for x in scores]),
               _sum([x.points for x in scores]), _num(s.task_points), _num(s.total), _grade(s.grade), note]


def month_xlsx(month: AgencyMonth, sheets: Sequence[Sheet]) -> StreamingHttpResponse:
    header = [_("STT"), _("Họ và tên"), _("Chức vụ"), _("Điểm tự chấm (tiêu chí chung)"),
              _("Điểm người đánh giá (tiêu chí chung)"), _("Điểm kết quả nhiệm vụ"), _("Tổng điểm"), _("Xếp loại"),
              _("Ghi chú")]
    caption = _("Kết quả đánh giá, xếp loại tháng %(month)s — %(agency)s") % {
        "month": f"{month.month:%m/%Y}", "agency": month.agency.name}
    return xlsx_download(f"danh-gia-{month.month:%Y-%m}-{month.agency_id}.xlsx", _("Kết quả tháng"), header,
                         _month_rows(sheets), above=[caption])


def _year_rows(results: Sequence[AnnualResult]) -> Iterator[list[Any]]:
    for i, r in enumerate(results, start=1):
        sent = sum(1 for m in r.months if m.get("sent_along"))
        titles = ", ".join(p.shown_label for p in r.proposals.all())
        yield [i, r.cadre.full_name, r.agency.name, r.months_counted, sent, _num(r.total), _grade(r.computed_grade),
               _grade(r.grade), titles]


def year_xlsx(year: int, results: Sequence[AnnualResult]) -> StreamingHttpResponse:
    header = [_("STT"), _("Họ và tên"), _("Cơ quan"), _("Số tháng tính"), _("Tháng đơn vị cũ chuyển sang"),
              _("Điểm bình quân"), _("Xếp loại theo điểm"), _("Xếp loại năm"), _("Danh hiệu đề nghị")]
    return xlsx_download(f"danh-gia-nam-{year}.xlsx", _("Kết quả năm"), header, _year_rows(results),
                         above=[_("Tổng hợp kết quả đánh giá, xếp loại năm %(year)s") % {"year": year}])
