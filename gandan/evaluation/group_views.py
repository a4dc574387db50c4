"""The agency's groups of similar tasks: every cadre of the agency with their group, set in one submit
by the agency's leadership or administrators (task_groups.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.evaluation import task_groups
from gandan.people.http import AuthenticatedRequest
from gandan.plans.task_views import refusal


@login_required
def agency_groups(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = task_groups.agency_get(request.user, pk)
    rows = task_groups.cadres_with_groups(agency)
    if request.method == "POST":
        posted = {c.pk: request.POST.get(f"g_{c.pk}", "") for c, _group in rows if f"g_{c.pk}" in request.POST}
        try:
            task_groups.task_groups_set(actor=request.user, agency=agency, groups=posted)
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã lưu nhóm nhiệm vụ tương đồng; các tháng đang đánh giá đã nhận nhóm mới."))
        return redirect("evaluation-agency-groups", agency.pk)
    return render(request, "evaluation/groups.html", {
        "agency": agency, "rows": rows, "names": sorted({g for _c, g in rows if g}),
        "may_set": task_groups.may_set(request.user, agency)})
