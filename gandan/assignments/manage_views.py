"""Managing assignments: the list with history, one-by-one assignment, end, transfer, the province's
rules and the XLSX import. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.assignments import queries, services
from gandan.assignments.forms import AssignForm, EndForm, ImportForm, RulesForm, TransferForm
from gandan.assignments.imports import ASSIGNMENT_COLUMNS, assignment_import
from gandan.assignments.models import FollowerRole
from gandan.assignments.proposals import candidates_for
from gandan.assignments.services import NOT_ASSIGNER
from gandan.core.tabular import download, template_xlsx
from gandan.org.models import Household
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.queries import cadre_get
from gandan.people.unit_queries import breadcrumbs, unit_get

SHOWN_ERRORS = 500


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
def assignment_list(request: AuthenticatedRequest) -> HttpResponse:
    """Assignments in scope, filtered by unit, cadre, role and state (history included on request)."""
    user = request.user
    unit = unit_get(user, int(request.GET["unit"])) if request.GET.get("unit", "").isdigit() else None
    cadre = cadre_get(user, int(request.GET["cadre"])) if request.GET.get("cadre", "").isdigit() else None
    state = request.GET.get("state", "active")
    state = state if state in {"active", "ended", "all"} else "active"
    role = request.GET.get("role", "")
    rows = queries.assignments_in(user, unit, cadre=cadre, role=role, state=state).order_by(
        "area__path", "household__code", "-start", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assignments/list.html", {
        "unit": unit, "crumbs": breadcrumbs(user, unit) if unit else [], "cadre": cadre, "state": state,
        "role": role, "roles": FollowerRole.choices, "page": page, "query": query.urlencode(),
        "may_assign_anywhere": queries.may_assign_anywhere(user), "today": timezone.localdate(),
    })


def _target(request: HttpRequest) -> tuple[Any, Any, Any, str]:
    """(unit, household, area, level) of ?unit=… or ?household=… (the page's address, also when it posts),
    inside the user's scope."""
    user = request.user
    query = request.GET
    if query.get("household", "").isdigit():
        household = scoping.get_in_scope_or_404(Household.objects.select_related("village", "village__province"),
                                                user, "village__path", pk=int(query["household"]))
        return None, household, household.village, "household"
    if query.get("unit", "").isdigit():
        unit = unit_get(user, int(query["unit"]))
        return unit, None, unit, unit.level.code
    raise Http404(_("Không tìm thấy"))


@login_required
def assignment_new(request: AuthenticatedRequest) -> HttpResponse:
    """Assign one cadre to one unit or household."""
    user = request.user
    unit, household, area, level = _target(request)
    if not queries.may_assign(user, area):
        raise PermissionDenied(NOT_ASSIGNER)
    cadres = candidates_for(user, area, level)
    form = AssignForm(request.POST or None, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        cadre = queries.assignable_cadres(user).filter(pk=form.cleaned_data["cadre"]).first()
        try:
            if cadre is None:
                raise PermissionDenied(NOT_ASSIGNER)
            services.assignment_create(actor=user, cadre=cadre, unit=unit, household=household,
                                       role=form.cleaned_data["role"], start=form.cleaned_data["start"],
                                       end=form.cleaned_data["end"])
        except ValidationError as exc:
            for field, problems in _errors(exc).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Đã phân công %(name)s theo dõi %(target)s.") % {
                "name": cadre.full_name, "target": household or unit})
            back = area if household is not None else (area.parent or area)
            return redirect(reverse("assignments-coverage", args=[back.pk]))
    return render(request, "assignments/new.html", {
        "form": form, "unit": unit, "household": household, "area": area, "level": level,
        "crumbs": breadcrumbs(user, area),
        "current": queries.assignments_in(user, area, state="active").filter(unit=unit, household=household)
        if unit or household else [],
    }, status=400 if form.errors else 200)


def _assignment_for_writing(request: AuthenticatedRequest, pk: int) -> Any:
    assignment = queries.assignment_get(request.user, pk)
    if not queries.may_assign(request.user, assignment.area):
        raise PermissionDenied(NOT_ASSIGNER)
    return assignment


@login_required
@require_POST
def assignment_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = _assignment_for_writing(request, pk)
    form = EndForm(request.POST, host=request.get_host())
    if form.is_valid():
        try:
            services.assignment_end(actor=request.user, assignment=assignment, on=form.cleaned_data["on"])
            messages.success(request, _("Đã kết thúc phân công %(cadre)s — %(target)s.") % {
                "cadre": assignment.cadre.full_name, "target": assignment.target_label})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Ngày kết thúc không hợp lệ."))
    return redirect(form.cleaned_data.get("next") or reverse("assignments-list") + f"?unit={assignment.area_id}")


@login_required
def assignment_transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Hand a target over to another cadre from a date (the old assignment ends that day)."""
    user = request.user
    assignment = _assignment_for_writing(request, pk)
    level = assignment.unit.level.code if assignment.unit_id else "household"
    cadres = [(c, n) for c, n in candidates_for(user, assignment.area, level) if c.pk != assignment.cadre_id]
    form = TransferForm(request.POST or None, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        to = queries.assignable_cadres(user).filter(pk=form.cleaned_data["cadre"]).first()
        try:
            if to is None:
                raise PermissionDenied(NOT_ASSIGNER)
            services.assignment_transfer(actor=user, assignment=assignment, to_cadre=to, on=form.cleaned_data["on"])
        except ValidationError as exc:
            for problem in exc.messages:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Đã chuyển %(target)s cho %(name)s.") % {
                "target": assignment.target_label, "name": to.full_name})
            return redirect(reverse("assignments-list") + f"?unit={assignment.area_id}")
    return render(request, "assignments/transfer.html", {
        "assignment": assignment, "form": form, "crumbs": breadcrumbs(user, assignment.area),
    }, status=400 if form.errors else 200)


@login_required
def rules_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The province's rules, with the two-tier default pre-filled when it has none yet."""
    user = request.user
    province = unit_get(user, pk)
    if province.level.code != "province":
        raise Http404(_("Không tìm thấy"))
    current, is_default = queries.province_rules(province)
    may_edit = queries.may_assign(user, province)
    form = RulesForm(request.POST or None, current=current)
    problems: list[str] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(NOT_ASSIGNER)
        if form.is_valid():
            try:
                services.rules_set(actor=user, province=province, rules=form.rules())
            except ValidationError as exc:
                problems = [m for messages_ in _errors(exc).values() for m in messages_]
            else:
                messages.success(request, _("Đã lưu quy tắc phân công của %(name)s.") % {"name": province.name})
                return redirect("assignments-rules", pk=province.pk)
    return render(request, "assignments/rules.html", {
        "province": province, "form": form, "rows": form.bound_rows(), "is_default": is_default,
        "may_edit": may_edit, "problems": problems, "crumbs": breadcrumbs(user, province),
    }, status=400 if problems or form.errors else 200)


@login_required
def import_page(request: AuthenticatedRequest) -> HttpResponse:
    """Download the template; upload an XLSX; see every error, or what was created."""
    user = request.user
    may_import = queries.may_assign_anywhere(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied(NOT_ASSIGNER)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = assignment_import(actor=user, source=upload.file, name=upload.name)
            if result.ok:
                messages.success(request, _("Đã nhập %(count)s phân công từ tệp %(name)s.") % {
                    "count": result.created.get("assignments", 0), "name": result.file_name})
                return redirect("assignments-import")
    status = 400 if request.method == "POST" else 200
    return render(request, "assignments/import.html", {
        "form": form, "result": result, "may_import": may_import, "columns": ASSIGNMENT_COLUMNS,
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
    }, status=status)


@login_required
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    return download(template_xlsx(ASSIGNMENT_COLUMNS, "Phân công"), "gandan-phan-cong.xlsx")
