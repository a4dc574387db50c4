"""Excel exports of the lists and figures. No personal data goes into a file: no citizen name, phone
or household (a spreadsheet travels further than a screen). Each workbook is streamed to the browser
while its rows are read (core.tabular.xlsx_download)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core.tabular import xlsx_download
from gandan.org.queries import unit_place_name
from gandan.petitions.models import Petition
from gandan.petitions.reports import RateRow


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def petitions_xlsx(rows: QuerySet[Petition], labels: dict[str, str]) -> StreamingHttpResponse:
    header = [_("Mã tra cứu"), _("Ngày tiếp nhận"), _("Nơi phát sinh"), _("Lĩnh vực"), _("Mức độ"),
              _("Kênh tiếp nhận"), _("Loại"), _("Trạng thái"), _("Đang giữ"), _("Hạn xử lý"), _("Quá hạn"),
              _("Ngày trả lời")]
    now = timezone.now()
    overdue = _("Quá hạn")
    data = ([p.code, _local(p.received_at), unit_place_name(p.unit), labels.get(p.field, p.field),
             p.get_urgency_display(), p.get_channel_display(), p.get_kind_display(), p.get_status_display(),
             (p.holder_agency or p.holder_unit).name, _local(p.due_at), overdue if p.is_overdue(now) else "",
             _local(p.answered_at)] for p in rows.iterator(chunk_size=2000))
    return xlsx_download("phan-anh.xlsx", _("Phản ánh"), header, data)


def _rate_header() -> list[str]:
    """The rates' column titles, in the reader's language."""
    return [_("Đơn vị, cơ quan"), _("Trực thuộc"), _("Tiếp nhận"), _("Đã nhận xử lý"), _("Tỷ lệ tiếp nhận"),
            _("Đến hạn"), _("Đúng hạn"), _("Tỷ lệ đúng hạn"), _("Được đánh giá"), _("Hài lòng"),
            _("Tỷ lệ hài lòng"), _("Quá hạn"), _("Cán bộ ghi thay: được ghi"), _("Cán bộ ghi thay: hài lòng")]


def _rate_cells(row: RateRow) -> list[Any]:
    f = row.figures
    return [row.name, row.parent, f.received, f.responded, f.response.value, f.settled, f.resolved_on_time,
            f.on_time.value, f.rated, f.satisfied, f.satisfaction.value, f.overdue, f.proxy_rated, f.proxy_satisfied]


def rates_xlsx(units: list[RateRow], agencies: list[RateRow]) -> StreamingHttpResponse:
    return xlsx_download("ty-le-phan-anh.xlsx", _("Tỷ lệ"), _rate_header(), (_rate_cells(r) for r in units + agencies),
                         percent_columns=(5, 8, 11))


def ranking_xlsx(units: list[RateRow], agencies: list[RateRow], month: dt.date) -> StreamingHttpResponse:
    header = [_("Nhóm quy mô"), _("Hạng"), _("Điểm"), *_rate_header()]
    rows = ([r.band + 1, r.rank, r.score, *_rate_cells(r)] for r in units + agencies)
    return xlsx_download(f"xep-hang-{month:%Y-%m}.xlsx", _("Xếp hạng"), header, rows, percent_columns=(8, 11, 14))
