"""Excel exports of the lists and figures. No personal data goes into a file: no citizen name, phone
or household (a spreadsheet travels further than a screen). Each workbook is streamed to the browser
while its rows are read (core.tabular.xlsx_download)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from gandan.core.tabular import xlsx_download
from gandan.petitions.models import Petition
from gandan.petitions.reports import RateRow


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def petitions_xlsx(rows: QuerySet[Petition], labels: dict[str, str]) -> StreamingHttpResponse:
    header = ["Mã tra cứu / Code", "Ngày tiếp nhận / Received", "Nơi phát sinh / Place", "Lĩnh vực / Field",
              "Mức độ / Urgency", "Kênh / Channel", "Loại / Kind", "Trạng thái / Status", "Đang giữ / Holder",
              "Hạn xử lý / Due", "Quá hạn / Overdue", "Trả lời / Answered"]
    now = timezone.now()
    data = ([p.code, _local(p.received_at), p.unit.name, labels.get(p.field, p.field), p.get_urgency_display(),
             p.get_channel_display(), p.get_kind_display(), p.get_status_display(),
             (p.holder_agency or p.holder_unit).name, _local(p.due_at), "x" if p.is_overdue(now) else "",
             _local(p.answered_at)] for p in rows.iterator(chunk_size=2000))
    return xlsx_download("phan-anh.xlsx", "Phản ánh", header, data)


RATE_HEADER = ["Đơn vị, cơ quan / Holder", "Trực thuộc / Under", "Tiếp nhận / Received",
               "Đã nhận xử lý / Responded", "Tỷ lệ tiếp nhận / Response rate", "Đến hạn / Settled",
               "Đúng hạn / On time", "Tỷ lệ đúng hạn / On-time rate", "Được đánh giá / Rated",
               "Hài lòng / Satisfied", "Tỷ lệ hài lòng / Satisfaction rate", "Quá hạn / Overdue",
               "Cán bộ ghi thay: được ghi / Proxy ratings", "Cán bộ ghi thay: hài lòng / Proxy satisfied"]


def _rate_cells(row: RateRow) -> list[Any]:
    f = row.figures
    return [row.name, row.parent, f.received, f.responded, f.response.value, f.settled, f.resolved_on_time,
            f.on_time.value, f.rated, f.satisfied, f.satisfaction.value, f.overdue, f.proxy_rated, f.proxy_satisfied]


def rates_xlsx(units: list[RateRow], agencies: list[RateRow]) -> StreamingHttpResponse:
    return xlsx_download("ty-le-phan-anh.xlsx", "Tỷ lệ", RATE_HEADER, (_rate_cells(r) for r in units + agencies),
                         percent_columns=(5, 8, 11))


def ranking_xlsx(units: list[RateRow], agencies: list[RateRow], month: dt.date) -> StreamingHttpResponse:
    header = ["Nhóm quy mô / Volume group", "Hạng / Rank", "Điểm / Score"] + RATE_HEADER
    rows = ([r.band + 1, r.rank, r.score, *_rate_cells(r)] for r in units + agencies)
    return xlsx_download(f"xep-hang-{month:%Y-%m}.xlsx", "Xếp hạng", header, rows, percent_columns=(8, 11, 14))
