"""The leader's screens: my team's plans and their state, one plan with its decision, what is overdue
or due this week."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.people.http import AuthenticatedRequest
from gandan.plans import access, queries, services
from gandan.plans.forms import ReasonForm
from gandan.plans.models import PlanStatus, Task
from gandan.plans.my_views import decorate
from gandan.plans.periods import month_bounds, month_of, previous_month
from gandan.plans.task_views import refusal


@login_required
def team(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    month = month_of(request.GET.get("month", ""), today)
    cadres = queries.team_plans(request.user, month)
    return render(request, "plans/team.html", {"cadres": cadres, "month": month, "previous": previous_month(month),
                                               "statuses": PlanStatus.choices,
                                               "next": month_bounds(month)[1] + dt.timedelta(days=1)})


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = queries.plan_get(user, pk)
    tasks = decorate(list(plan.tasks.select_related("catalogue_item", "assigner", "unit")), timezone.localdate())
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "tasks": tasks, "details": queries.sees_details(user, plan),
        "is_owner": getattr(user, "cadre_id", None) == plan.cadre_id, "leads": access.leads(user, plan.cadre),
        "return_form": ReasonForm()})


@login_required
@require_POST
def plan_decide(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """submit (the cadre), approve or return with a reason (their leader)."""
    plan = queries.plan_get(request.user, pk)
    try:
        if step == "submit":
            services.plan_submit(actor=request.user, plan=plan)
            messages.success(request, _("Đã gửi kế hoạch để lãnh đạo duyệt."))
        elif step == "approve":
            services.plan_approve(actor=request.user, plan=plan)
            messages.success(request, _("Đã duyệt kế hoạch."))
        else:
            services.plan_return(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã trả lại kế hoạch để sửa."))
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    return redirect("plans-plan", plan.pk)


@login_required
def due(request: AuthenticatedRequest) -> HttpResponse:
    """Overdue and due this week: mine, and my team's when I lead one."""
    user, today = request.user, timezone.localdate()
    mine = Task.objects.filter(owner_id=user.cadre_id) if user.cadre_id else Task.objects.none()
    my_overdue, my_soon = queries.overdue_and_due_soon(mine, today)
    team = queries.tasks_visible(user).exclude(owner_id=user.cadre_id or 0).filter(
        owner__in=queries.team_cadres(user).values("pk"))
    team_overdue, team_soon = queries.overdue_and_due_soon(team, today)
    return render(request, "plans/due.html", {
        "sections": [(_("Của tôi: quá hạn"), decorate(list(my_overdue[:100]), today)),
                     (_("Của tôi: đến hạn trong 7 ngày"), decorate(list(my_soon[:100]), today)),
                     (_("Tập thể: quá hạn"), decorate(list(team_overdue[:200]), today)),
                     (_("Tập thể: đến hạn trong 7 ngày"), decorate(list(team_soon[:200]), today))],
        "today": today})
