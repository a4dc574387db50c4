"""A task's page and the owner's steps on it: add a task, report progress, mark it done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.people.http import AuthenticatedRequest
from gandan.people.queries import cadre_get
from gandan.plans import access, queries, services, work_services
from gandan.plans.forms import AssessForm, CauseForm, ProgressForm, ReassignForm, TaskForm, WeightForm
from gandan.plans.models import Task
from gandan.plans.my_views import decorate


def refusal(request: AuthenticatedRequest, exc: Exception) -> None:
    """A refused step, told to the user as the service said it (every field's message)."""
    if isinstance(exc, ValidationError):
        for text in (exc.messages if not hasattr(exc, "error_dict") else
                     [m for msgs in exc.message_dict.values() for m in msgs]):
            messages.error(request, text)
    else:
        messages.error(request, str(exc))


def _context(request: AuthenticatedRequest, task: Task) -> dict:
    user = request.user
    decorate([task], timezone.localdate())
    details = queries.sees_details(user, task.plan)
    context: dict = {
        "task": task, "details": details, "is_owner": access.is_owner(user, task),
        "may_assess": access.may_assess(user, task), "leads": access.leads(user, task.owner),
        "may_set_weight": access.may_set_weight(user, task), "weight_form": WeightForm(initial={"weight": task.weight}),
        "reports": list(task.reports.select_related("reported_by")[:50]) if details else [],
        "work_log": queries.task_work_log(task) if details else [],
        "assessments": list(task.assessments.select_related("assessed_by", "cause")),
        "delays": list(task.delays.select_related("cause")), "shares": list(task.shares.select_related("cadre")),
        "progress_form": ProgressForm(), "assess_form": AssessForm(), "cause_form": CauseForm(),
    }
    if context["leads"]:
        team = queries.team_cadres(user).exclude(pk=task.owner_id).filter(province_id=task.province_id)[:300]
        context["reassign_form"] = ReassignForm(cadres=[(c.pk, f"{c.full_name} — {c.agency.name}") for c in team])
    return context


@login_required
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "plans/task_detail.html", _context(request, queries.task_get(request.user, pk)))


@login_required
def task_new(request: AuthenticatedRequest) -> HttpResponse:
    """Add a task to my plan, or (?cadre=) assign one to a cadre I lead."""
    user = request.user
    cadre = cadre_get(user, int(request.GET["cadre"])) if request.GET.get("cadre", "").isdigit() else None
    owner = cadre or (user.cadre if user.cadre_id else None)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    chosen = {name: int(source[name]) for name in TaskForm.LINKS if str(source.get(name, "")).isdigit()}
    links = queries.link_choices(user, owner, today, chosen) if owner is not None else {}
    form = TaskForm(request.POST or None, agency_id=owner.agency_id if owner else None, links=links,
                    initial={"due_on": today, **chosen})
    if request.method == "POST" and form.is_valid():
        try:
            task, _created = services.task_add(actor=user, data=form.to_input(cadre.pk if cadre else None))
        except (ValidationError, PermissionDenied, services.TaskConflict) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ vào kế hoạch."))
            return redirect("plans-task", task.pk)
    return render(request, "plans/task_form.html", {"form": form, "cadre": cadre, "owner": owner})


@login_required
@require_POST
def task_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = queries.task_get(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    done = request.POST.get("done") == "1"
    if form.is_valid():
        try:
            work_services.task_report(actor=request.user, task=task, data=form.to_input(),
                                      evidence=form.cleaned_data.get("evidence"), marks_done=done)
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã báo hoàn thành, chờ người giao việc đánh giá.") if done
                             else _("Đã ghi tiến độ."))
    else:
        refusal(request, ValidationError(form.errors))
    return redirect("plans-task", task.pk)


@login_required
@require_POST
def task_reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = queries.task_get(request.user, pk)
    team = queries.team_cadres(request.user).filter(province_id=task.province_id)
    form = ReassignForm(request.POST, cadres=[(c.pk, c.full_name) for c in team.exclude(pk=task.owner_id)[:300]])
    if form.is_valid():
        try:
            to = cadre_get(request.user, form.cleaned_data["cadre"])
            services.task_reassign(actor=request.user, task=task, to=to, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã giao lại nhiệm vụ."))
    else:
        refusal(request, ValidationError(form.errors))
    return redirect("plans-task", task.pk)


@login_required
@require_POST
def task_weight(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The assigner sets the agreed weight of a task outside the catalogue."""
    task = queries.task_get(request.user, pk)
    form = WeightForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_weight(actor=request.user, task=task, weight=form.cleaned_data["weight"])
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi trọng số quy đổi thỏa thuận."))
    else:
        refusal(request, ValidationError(form.errors))
    return redirect("plans-task", task.pk)
