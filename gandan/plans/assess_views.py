"""The assigner's screens: what awaits my assessment, the assessment itself, an objective cause."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.people.http import AuthenticatedRequest
from gandan.plans import assess_services, queries
from gandan.plans.forms import AssessForm, CauseForm
from gandan.plans.task_views import refusal


@login_required
def awaiting(request: AuthenticatedRequest) -> HttpResponse:
    tasks = list(queries.awaiting_assessment(request.user).annotate(logged_hours=Sum("work_log__hours"))[:200])
    return render(request, "plans/awaiting.html", {"tasks": tasks})


@login_required
@require_POST
def task_assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = queries.task_get(request.user, pk)
    form = AssessForm(request.POST)
    if form.is_valid():
        try:
            assess_services.task_assess(actor=request.user, task=task, data=form.to_input())
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi kết quả đánh giá."))
            return redirect("plans-awaiting")
    else:
        refusal(request, ValidationError(form.errors))
    return redirect("plans-task", task.pk)


@login_required
@require_POST
def cause_certify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = queries.task_get(request.user, pk)
    form = CauseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assess_services.cause_certify(actor=request.user, task=task, data=form.to_input(),
                                          evidence=form.cleaned_data.get("evidence"))
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã xác nhận nguyên nhân khách quan; không trừ điểm cho mục này."))
    else:
        refusal(request, ValidationError(form.errors))
    return redirect("plans-task", task.pk)
