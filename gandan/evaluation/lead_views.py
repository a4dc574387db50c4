"""The leadership's screens (desktop): the agencies' months, opening one, step 3 on one screen (the
distribution, the cap and who is above the line, the vetoes), the reopening by the level above, the
XLSX files, who is late, the ranking of agencies, and the year."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.campaigns.models import DecisionLevel
from gandan.core.months import add_months
from gandan.evaluation import access, exports, queries, scoring, services, task_groups, year_services
from gandan.evaluation.forms import CommendationForm
from gandan.evaluation.models import AgencyMonth, Grade, RubricKind, Sheet, Veto
from gandan.evaluation.rubric import shown_label
from gandan.evaluation.views import GRADE_LABELS, chosen_month, posted_version
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.unit_queries import unit_get
from gandan.plans.periods import previous_month
from gandan.plans.task_views import refusal


def _around(month: dt.date) -> dict[str, dt.date]:
    return {"month": month, "previous": previous_month(month), "next": add_months(month, 1)}


@login_required
def months(request: AuthenticatedRequest) -> HttpResponse:
    month = chosen_month(request)
    led = list(queries.months_led(request.user).filter(month=month).order_by("agency__name"))
    units = [u for u in scoping.top_units(request.user) if access.leads_unit(request.user, u)]
    return render(request, "evaluation/months.html", {**_around(month), "months": led, "units": units,
                                                      "kinds": RubricKind.choices})


@login_required
@require_POST
def month_open(request: AuthenticatedRequest) -> HttpResponse:
    month = chosen_month(request)
    unit = unit_get(request.user, int(request.POST.get("unit", "0") or 0))
    try:
        kind = request.POST.get("kind", RubricKind.CIVIL_SERVANT)
        if kind not in RubricKind.values:
            raise ValidationError({"kind": [_("Loại bộ tiêu chí không hợp lệ.")]})
        opened = services.month_open(actor=request.user, unit=unit, month=month, kind=kind)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã mở kỳ đánh giá tháng %(month)s cho %(n)s cơ quan.") % {
            "month": f"{month:%m/%Y}", "n": len(opened)})
    return redirect(f"{reverse('evaluation-months')}?month={month:%Y-%m}")


def _choices(request: AuthenticatedRequest, month: AgencyMonth) -> tuple[dict[int, list[str]], dict[int, str]]:
    """The vetoes and lowered grades posted (to conclude or to preview), per sheet id; none on a GET."""
    if request.method != "POST":
        return {}, {}
    data = request.POST
    ids = set(month.sheets.values_list("pk", flat=True))
    vetoes = {pk: [v for v in data.getlist(f"veto_{pk}") if v in Veto.values] for pk in ids if f"veto_{pk}" in data}
    grades = {pk: data[f"grade_{pk}"] for pk in ids if data.get(f"grade_{pk}") in Grade.values}
    return vetoes, grades


@login_required
def month_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    month = queries.month_get(request.user, pk)
    sheets = queries.month_sheets(month)
    if request.GET.get("format") == "xlsx":
        return exports.month_xlsx(month, sheets)
    return _month_page(request, month, sheets)


def _month_page(request: AuthenticatedRequest, month: AgencyMonth, sheets: list[Sheet],
                status: int = 200, stale: str = "") -> HttpResponse:
    """Step 3's screen, with the vetoes and lowered grades chosen so far (a preview writes nothing); its
    form carries each sheet's version (`v_<id>`) as drawn."""
    vetoes, grades = _choices(request, month)
    result = scoring.conclusion(month, sheets, vetoes=vetoes, grades=grades)
    return render(request, "evaluation/month.html", {
        "m": month, "result": result, "grades": GRADE_LABELS, "grade_choices": Grade.choices,
        "veto_choices": Veto.choices, "may_conclude": access.may_conclude(request.user, month) and not month.locked,
        "may_reopen": access.may_reopen(request.user, month) and month.locked,
        "may_group": task_groups.may_set(request.user, month.agency),
        "reopenings": list(month.reopenings.select_related("reopened_by")),
        "names": {s.pk: s.cadre.full_name for s in sheets},
        "cap_pct": scoring.rubric_rules(sheets[0].rubric).cap_pct if sheets else 20, "stale": stale}, status=status)


@login_required
@require_POST
def month_conclude(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    month = queries.month_get(request.user, pk)
    if request.POST.get("action") == "preview":
        return _month_page(request, month, queries.month_sheets(month))
    vetoes, grades = _choices(request, month)
    versions = {pk: v for pk in month.sheets.values_list("pk", flat=True)
                if (v := posted_version(request, f"v_{pk}")) is not None}
    try:
        services.month_conclude(actor=request.user, month=month, vetoes=vetoes, grades=grades, versions=versions)
    except services.SheetsChanged as exc:
        return _month_page(request, month, queries.month_sheets(month), status=409, stale=_(
            "%(what)s Dưới đây là giá trị hiện tại; hãy xem lại rồi kết luận.") % {"what": str(exc)})
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã kết luận và khóa tháng đánh giá."))
    return redirect("evaluation-month", month.pk)


@login_required
@require_POST
def month_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    month = queries.month_get(request.user, pk)
    try:
        services.month_reopen(actor=request.user, month=month, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã mở lại tháng đánh giá."))
    return redirect("evaluation-month", month.pk)


@login_required
@require_POST
def sheet_leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = queries.sheet_get(request.user, pk)
    days = request.POST.get("days_worked", "0")
    try:
        services.sheet_leave(actor=request.user, sheet=sheet, on_leave=request.POST.get("on_leave") == "1",
                             days_worked=int(days) if days.isdigit() else -1)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận thời gian nghỉ theo chế độ."))
    return redirect("evaluation-month", sheet.agency_month_id)


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    month = chosen_month(request)
    return render(request, "evaluation/board.html", {
        **_around(month), "rows": queries.status_board(request.user, month, timezone.localdate())})


@login_required
def ranking(request: AuthenticatedRequest) -> HttpResponse:
    month = chosen_month(request)
    return render(request, "evaluation/ranking.html", {
        **_around(month), "rows": queries.agency_ranking(request.user, month), "grades": GRADE_LABELS})


def _year(request: AuthenticatedRequest) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    this = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


@login_required
def year(request: AuthenticatedRequest) -> HttpResponseBase:
    chosen = _year(request)
    results = list(queries.annual_results(request.user, chosen))
    if request.GET.get("format") == "xlsx":
        return exports.year_xlsx(chosen, results)
    agencies = {m.agency_id: m.agency for m in queries.months_led(request.user).filter(month__year=chosen)}
    titles = {r.pk: [(code, shown_label(label), needs) for code, label, needs in scoring.rubric_rules(r.rubric).titles]
              for r in results}
    return render(request, "evaluation/year.html", {
        "year": chosen, "results": results, "grades": GRADE_LABELS, "agencies": sorted(
            agencies.values(), key=lambda a: a.name), "titles": titles,
        "commendations": queries.commendations(request.user, chosen), "levels": DecisionLevel.choices})


@login_required
@require_POST
def year_compute(request: AuthenticatedRequest) -> HttpResponse:
    chosen = _year(request)
    agency_id = request.POST.get("agency", "")
    found = queries.months_led(request.user).filter(agency_id=int(agency_id) if agency_id.isdigit() else 0).first()
    if found is None:
        messages.error(request, _("Không tìm thấy cơ quan trong phạm vi của bạn."))
        return redirect(f"{reverse('evaluation-year')}?year={chosen}")
    try:
        done = year_services.annual_compute(actor=request.user, agency=found.agency, year=chosen)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã tính kết quả năm của %(n)s cán bộ.") % {"n": len(done)})
    return redirect(f"{reverse('evaluation-year')}?year={chosen}")


@login_required
@require_POST
def title_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    annual = queries.annual_get(request.user, pk)
    try:
        year_services.title_propose(actor=request.user, annual=annual, title=request.POST.get("title", ""))
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã đề nghị danh hiệu thi đua."))
    return redirect(f"{reverse('evaluation-year')}?year={annual.year}")


@login_required
@require_POST
def commendation_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A commendation of the year's cadre, answering their proposal when one is named."""
    annual = queries.annual_get(request.user, pk)
    form = CommendationForm(request.POST)
    proposal = annual.proposals.filter(pk=int(request.POST["proposal"])).first() \
        if request.POST.get("proposal", "").isdigit() else None
    if not form.is_valid():
        refusal(request, ValidationError(form.errors))
        return redirect(f"{reverse('evaluation-year')}?year={annual.year}")
    data = form.cleaned_data
    try:
        year_services.commendation_record(actor=request.user, cadre=annual.cadre, number=data["number"],
                                          date=data["date"], level=data["level"], reason=data["reason"],
                                          proposal=proposal)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã ghi khen thưởng."))
    return redirect(f"{reverse('evaluation-year')}?year={annual.year}")
