"""The periodic reports: a unit's own report (download, submit with an edited file attached) and the
reports its units owe it (who submitted, on time or late, the reporting rate; accept, return, reopen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.reports import document, periods, queries, services
from gandan.reports.models import PeriodReport
from gandan.reports.views import period_from


def _back(unit_id: int, period: str) -> HttpResponse:
    return redirect(f"{_url()}?{urlencode({'unit': str(unit_id), 'period': period})}")


def _url() -> str:
    from django.urls import reverse

    return reverse("reports-list")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    unit_id = request.GET.get("unit", "")
    overview = queries.reporting_overview(request.user, int(unit_id) if unit_id.isdigit() else None, period)
    return render(request, "reports/periodic.html", {
        "o": overview, "period": period, "may_submit": services.may_submit(request.user, overview.unit),
        "may_decide": any(services.may_decide(request.user, k) for k, _r, _t in overview.children[:1]),
        "formats": document.FORMATS})


@login_required
def report_file(request: HttpRequest, pk: int, period: str, fmt: str) -> HttpResponseBase:
    """The unit's (pk) report for the period, as a file."""
    unit = queries.unit_for(request.user, pk)
    try:
        chosen = periods.parse(period)
    except ValueError:
        return render(request, "404.html", status=404)
    if fmt not in document.FORMATS:
        return render(request, "404.html", status=404)
    own = PeriodReport.objects.filter(unit=unit, period=chosen.key).first()
    try:
        content = document.render(unit, chosen, fmt, number=own.number if own and own.number else 1,
                                  on=timezone.localdate())
    except document.PdfUnavailable as exc:
        messages.error(request, str(exc))
        return _back(unit.pk, chosen.key)
    response = HttpResponse(content, content_type=document.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{unit.code}-{chosen.key}.{fmt}"'
    return response


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """submit (pk is the unit), accept, return, reopen (pk is the report)."""
    user = request.user
    period = request.POST.get("period", "")
    try:
        if step == "submit":
            unit = queries.unit_for(user, pk)
            services.report_submit(actor=user, unit=unit, period=period,  # type: ignore[arg-type]  # login_required
                                   file=request.FILES.get("file"))
            messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
            return _back(unit.pk, period)
        report = queries.report_get(user, pk)
        back = report.unit.parent_id or report.unit_id
        if step == "accept":
            services.report_accept(actor=user, report=report)  # type: ignore[arg-type]  # login_required
            messages.success(request, _("Đã tiếp nhận báo cáo."))
        elif step == "return":
            services.report_return(actor=user, report=report,  # type: ignore[arg-type]  # login_required
                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã trả lại báo cáo."))
        elif step == "reopen":
            services.report_reopen(actor=user, report=report,  # type: ignore[arg-type]  # login_required
                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã mở lại báo cáo."))
        else:
            return render(request, "404.html", status=404)
        return _back(back, report.period)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return _back(pk, period) if step == "submit" else redirect(_url())
