"""Excel files of campaigns: the summary table of a campaign (or any unit and period) and the register
of exemplary models, written through core.tabular.xlsx (formula-like text stays text)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.campaigns.models import Decision, ExemplaryModel
from gandan.campaigns.queries import Totals
from gandan.core.tabular import xlsx, xlsx_download


def _summary_rows(t: Totals) -> Iterator[list[Any]]:
    """(figure, amount, unit of measure, events): people first, then each indicator in its own measure."""
    yield [_("Số đợt"), t.events, _("đợt"), t.events]
    yield [_("Lượt cán bộ tham gia"), t.participations, _("lượt"), t.events]
    yield [_("Cán bộ được ghi tên (người)"), t.participants, _("người"), t.events]
    yield [_("Lượt người dân tham gia"), t.citizens, _("lượt"), t.events]
    yield [_("Đảng viên được tuyên truyền"), t.party_members, _("người"), t.events]
    yield [_("Chi bộ được tuyên truyền"), t.party_cells, _("chi bộ"), t.events]
    for o in t.outputs:
        yield [o.name, float(o.amount), o.measure_label, o.events]
    if t.by_unit:
        yield [_("Số đợt theo đơn vị"), None, None, None]
    for row in t.by_unit:
        yield [row.unit.name if row.unit else _("Tại chính đơn vị"), row.events, _("đợt"), row.events]


def _summary_header() -> list[str]:
    return [_("Nội dung"), _("Số liệu"), _("Đơn vị tính"), _("Số đợt")]


def summary_xlsx(t: Totals, caption: str) -> bytes:
    return xlsx(_("Tổng hợp"), _summary_header(), _summary_rows(t), above=[caption])


def summary_download(t: Totals, caption: str, filename: str) -> StreamingHttpResponse:
    """The summary sent while it is written (core.tabular.xlsx_download), like every list export."""
    return xlsx_download(filename, _("Tổng hợp"), _summary_header(), _summary_rows(t), above=[caption])


def _model_rows(qs: QuerySet[ExemplaryModel]) -> Iterator[list[Any]]:
    last = Prefetch("decisions", queryset=Decision.objects.order_by("date", "id"))
    for m in qs.select_related("unit", "campaign").prefetch_related(last):
        decisions = list(m.decisions.all())
        d = decisions[-1] if decisions else None
        yield [m.registered_on, m.title, m.get_holder_kind_display(), m.holder_name,
               m.get_field_display(), m.unit.name, m.campaign.name if m.campaign else "", m.get_status_display(),
               d.number if d else "", d.date if d else "", d.get_level_display() if d else "",
               m.description, m.evidence]


def _models_header() -> list[str]:
    return [_("Ngày đăng ký"), _("Tên mô hình"), _("Tập thể, cá nhân"), _("Tên tập thể, cá nhân"), _("Lĩnh vực"),
            _("Đơn vị"), _("Phong trào"), _("Trạng thái"), _("Số quyết định"), _("Ngày quyết định"),
            _("Cấp quyết định"), _("Mô tả"), _("Minh chứng")]


def _models_caption() -> list[str]:
    today = timezone.localdate().strftime("%d/%m/%Y")
    return [_("Sổ mô hình điển hình tiên tiến, lập ngày %(date)s") % {"date": today}]


def models_xlsx(qs: QuerySet[ExemplaryModel]) -> bytes:
    return xlsx(_("Mô hình điển hình"), _models_header(), _model_rows(qs), above=_models_caption())


def models_download(qs: QuerySet[ExemplaryModel], filename: str) -> StreamingHttpResponse:
    """The register sent while it is written (core.tabular.xlsx_download), like every list export."""
    return xlsx_download(filename, _("Mô hình điển hình"), _models_header(), _model_rows(qs),
                         above=_models_caption())
