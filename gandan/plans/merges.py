"""What plans do when units merge (the `unit_merged` receiver, connected in apps.py). Plans and tasks
still running move with their cadre and place; finished ones stay as the source's history, which lies
under the target. Every row now under the target carries its province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved
from gandan.plans.models import (
    Assessment,
    CatalogueItem,
    Delay,
    ObjectiveCause,
    Plan,
    ProgressReport,
    Reminder,
    Task,
    TaskStatus,
    WorkLogEntry,
)


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    today = timezone.localdate()
    plans = Plan.objects.filter(unit=source, ends_on__gte=today).update(unit=target)
    tasks = Task.objects.filter(unit=source, status__in=[TaskStatus.OPEN, TaskStatus.DONE]).update(unit=target)
    rekeyed = rekey_moved(Plan.objects.all(), source=source, target=target, path_field="unit__path",
                          progress=progress)
    rekeyed += rekey_moved(Task.objects.all(), source=source, target=target, path_field="plan__unit__path",
                           progress=progress)
    for model in (ProgressReport, Assessment, Delay, ObjectiveCause, Reminder):
        rekeyed += rekey_moved(model.objects.filter(task__isnull=False), source=source, target=target,
                               path_field="task__plan__unit__path", progress=progress)
    rekeyed += rekey_moved(CatalogueItem.objects.all(), source=source, target=target, path_field="agency__unit__path",
                           progress=progress)
    rekeyed += rekey_moved(WorkLogEntry.objects.all(), source=source, target=target, path_field="cadre__unit__path",
                           progress=progress)
    return {"plans.plans": plans, "plans.tasks": tasks, "plans.rekeyed": rekeyed}
