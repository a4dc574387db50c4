"""The owner's screens, phone first: my plan as a list or a board, for a month, with my reminders."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gandan.people.http import AuthenticatedRequest
from gandan.people.models import User
from gandan.plans import queries
from gandan.plans.models import Reminder, ReminderPreference, TaskStatus
from gandan.plans.periods import month_bounds, month_of, previous_month
from gandan.plans.progress import progress_pct
from gandan.plans.timeliness import days_overdue

BOARD = (TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.ACCEPTED)


def decorate(tasks: list, today: dt.date) -> list:
    for task in tasks:
        task.pct = progress_pct(target_kind=task.target_kind, target_quantity=task.target_quantity,
                                done_quantity=task.progress_quantity, marked_done=task.status != TaskStatus.OPEN)
        task.late_days = days_overdue(due_on=task.due_on, today=today) if task.status == TaskStatus.OPEN else 0
    return tasks


@login_required
def my_plan(request: AuthenticatedRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    cadre = user.cadre if user.cadre_id else None
    month = month_of(request.GET.get("month", ""), today)
    start, end = month_bounds(month)
    context: dict = {"cadre": cadre, "month": month, "today": today, "view": request.GET.get("view", "list"),
                     "previous": previous_month(month), "next": end + dt.timedelta(days=1),
                     "reminders": queries.unread_reminders(user)}
    if cadre is not None:
        tasks = decorate(list(queries.my_tasks(cadre, start, end)), today)
        context.update(plans=list(queries.my_plans(cadre, month)), tasks=tasks,
                       columns=[(status, label, [t for t in tasks if t.status == status])
                                for status, label in TaskStatus.choices if status in BOARD])
    Reminder.objects.filter(pk__in=[r.pk for r in context["reminders"]]).update(read_at=timezone.now())
    remember_language(user, getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)
    return render(request, "plans/my_plan.html", context)


def remember_language(user: User, language: str) -> None:
    """Reminders are e-mailed in the language the user last read their plan in (written only on a change)."""
    stored = ReminderPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if stored != language:
        ReminderPreference.objects.update_or_create(user=user, defaults={"language": language})
