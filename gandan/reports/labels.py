"""The names of the figures, shared by the dashboard, the Word report, the XLSX and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gandan.reports.measures import MEASURES, OUTPUT_PREFIX

BLOCK_TITLES = {
    "coverage": _("Phân công địa bàn"), "fieldwork": _("Đi cơ sở và định mức"),
    "concerns": _("Phản ánh, kiến nghị"), "plans": _("Kế hoạch, nhiệm vụ"), "campaigns": _("Phong trào"),
    "evaluation": _("Đánh giá, xếp loại"),
}
RATE_LABELS = {
    "villages_coverage": _("Tỷ lệ thôn có người phụ trách"), "households_coverage": _("Tỷ lệ hộ có người phụ trách"),
    "communes_coverage": _("Tỷ lệ xã có người phụ trách"), "quota_compliance": _("Tỷ lệ đạt định mức"),
    "response_rate": _("Tỷ lệ tiếp nhận"), "on_time_rate": _("Tỷ lệ giải quyết đúng hạn"),
    "satisfaction_rate": _("Tỷ lệ hài lòng"), "tasks_done_rate": _("Tỷ lệ nhiệm vụ hoàn thành"),
    "excellent_rate": _("Tỷ lệ hoàn thành xuất sắc"), "failed_rate": _("Tỷ lệ không hoàn thành"),
}
# The columns of the children's table (and of its chart): the figure each block is steered by.
CHILD_COLUMNS = ["villages_coverage", "visits", "concerns_received", "on_time_rate", "tasks_done_rate", "citizens"]
KINDS = [("month", _("Tháng")), ("quarter", _("Quý")), ("year", _("Năm")), ("custom", _("Tùy chọn"))]


def label_of(code: str, indicators: dict[str, str] | None = None) -> str:
    """A figure's name; a campaign output is named by its indicator (`indicators`: code → name)."""
    if code in RATE_LABELS:
        return str(RATE_LABELS[code])
    if code.startswith(OUTPUT_PREFIX):
        indicator = code[len(OUTPUT_PREFIX):]
        return (indicators or {}).get(indicator, indicator)
    known = MEASURES.get(code)
    return str(known.label) if known else code
