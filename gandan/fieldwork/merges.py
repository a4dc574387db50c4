"""What field work does when units merge (the `unit_merged` receiver, connected in apps.py). Past visits
and meetings stay where they happened: the source's path now lies under the target's, so they count
there; meetings not yet held move; every row now under the target carries its province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from gandan.fieldwork.models import (
    Attendance,
    ChecklistTopic,
    Meeting,
    MonthLock,
    Quota,
    Visit,
    VisitHousehold,
    VisitPhoto,
    VisitUnit,
)
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved, rekey_settings


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    moved: dict[str, Any] = {"fieldwork.meetings": Meeting.objects.filter(
        unit=source, date__gte=timezone.localdate()).update(unit=target, province=target.province_id)}
    by_cadre = "visit__cadre__unit__path"
    rekeyed = sum(rekey_moved(qs, source=source, target=target, path_field=field, progress=progress) for qs, field in (
        (Visit.objects.all(), "cadre__unit__path"), (VisitUnit.objects.all(), by_cadre),
        (VisitHousehold.objects.all(), by_cadre), (VisitPhoto.objects.all(), by_cadre),
        (Meeting.objects.all(), "unit__path"), (Attendance.objects.all(), "meeting__unit__path")))
    moved["fieldwork.rekeyed"] = rekeyed
    for name, qs, key in (("topics", ChecklistTopic.objects.all(), ("code",)),
                          ("quotas", Quota.objects.all(), ("level", "employment_type")),
                          ("month_locks", MonthLock.objects.all(), ("month",))):
        moved[f"fieldwork.{name}"] = rekey_settings(qs, source=source, target=target, key=key)
    return moved
