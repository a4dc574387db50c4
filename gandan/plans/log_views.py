"""The daily work log, phone first: today's line in a few taps, the last two weeks by day with their
totals. Only for agencies that keep one (PlanSetting); their leaders turn it on or off here."""

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
from gandan.plans import queries, work_services, worklog
from gandan.plans.forms import WorkLogForm
from gandan.plans.models import Task, TaskStatus
from gandan.plans.task_views import refusal

SHOWN_DAYS = 14


@login_required
def work_log(request: AuthenticatedRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    cadre = user.cadre if user.cadre_id else None
    enabled = cadre is not None and work_services.work_log_enabled(cadre.agency_id)
    may_set = cadre is not None and work_services.may_set_work_log(user, cadre.agency)
    context: dict = {"cadre": cadre, "enabled": enabled, "may_set": may_set, "today": today,
                     "max_hours": worklog.DAY_MAX_HOURS, "normal_hours": worklog.NORMAL_DAY_HOURS}
    if cadre is None or not enabled:
        return render(request, "plans/work_log.html", context)
    tasks = list(Task.objects.filter(owner=cadre).exclude(status=TaskStatus.ACCEPTED)
                 .filter(due_on__gte=today - dt.timedelta(days=60)).order_by("due_on", "id")[:100])
    form = WorkLogForm(request.POST or None, tasks=[(t.pk, t.title) for t in tasks], initial={"date": today})
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        task = next((t for t in tasks if t.pk == data.task_id), None)
        try:
            if data.task_id is not None and task is None:
                raise ValidationError({"task_id": _("Chỉ ghi nhật ký cho nhiệm vụ của chính bạn.")})
            work_services.work_log_add(actor=user, data=data, task=task)
        except (ValidationError, PermissionDenied) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("Đã ghi nhật ký công việc."))
            return redirect("plans-log")
    days = queries.my_work_log(cadre, today - dt.timedelta(days=SHOWN_DAYS - 1), today)
    context.update(form=form, days=days)
    return render(request, "plans/work_log.html", context)


@login_required
@require_POST
def work_log_setting(request: AuthenticatedRequest) -> HttpResponse:
    """Turn the log on or off for the user's own agency."""
    cadre = request.user.cadre if request.user.cadre_id else None
    if cadre is None:
        raise PermissionDenied
    try:
        work_services.work_log_setting(actor=request.user, agency_id=cadre.agency_id,
                                       enabled=request.POST.get("enabled") == "1")
    except PermissionDenied as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã lưu cấu hình nhật ký công việc của cơ quan."))
    return redirect("plans-log")
