"""What assignments do when units merge (the `unit_merged` receiver, connected in apps.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from gandan.assignments.models import Assignment, AssignmentRule, FollowerRole
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved, rekey_settings


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    """Ongoing assignments on `source` move to `target`. A follower who already follows the target ends
    the duplicate today; a moved primary becomes supporting when the target has its own primary (one
    primary per unit). Households keep their assignments (their village moved); only the area of those
    in a merged village changes. Past assignments stay on the source: its history, under the target.
    Each assignment changed is named, for the merge's audit event."""
    today = timezone.localdate()
    ongoing = Q(end__isnull=True) | Q(end__gt=today)
    moving = Assignment.objects.filter(ongoing, unit=source)
    on_target = Assignment.objects.filter(ongoing, unit=target)
    dupes = list(moving.filter(cadre__in=on_target.values("cadre_id")).values_list("pk", flat=True))
    Assignment.objects.filter(pk__in=dupes, start__gt=today).update(end=F("start"))
    Assignment.objects.filter(pk__in=dupes, start__lte=today).update(end=today)
    demoted: list[int] = []
    if on_target.filter(role=FollowerRole.PRIMARY).exists():
        demoted = list(moving.filter(role=FollowerRole.PRIMARY).values_list("pk", flat=True))
        Assignment.objects.filter(pk__in=demoted).update(role=FollowerRole.SUPPORTING)
    moved_ids = list(Assignment.objects.filter(ongoing, unit=source).values_list("pk", flat=True))
    Assignment.objects.filter(pk__in=moved_ids).update(unit=target, area=target, province=target.province_id)
    area_ids = list(Assignment.objects.filter(area=source, household__isnull=False).values_list("pk", flat=True))
    Assignment.objects.filter(pk__in=area_ids).update(area=target, province=target.province_id)
    rekeyed = rekey_moved(Assignment.objects.all(), source=source, target=target, path_field="area__path",
                          progress=progress)
    changed = ([{"assignment": pk, "change": "moved", "to_unit": target.pk} for pk in moved_ids]
               + [{"assignment": pk, "change": "ended"} for pk in dupes]
               + [{"assignment": pk, "change": "primary_to_supporting"} for pk in demoted]
               + [{"assignment": pk, "change": "area", "to_unit": target.pk} for pk in area_ids])
    rules = rekey_settings(AssignmentRule.objects.all(), source=source, target=target,
                           key=("agency_level", "target_level"))
    return {"assignment_rules": rules, "assignments": len(moved_ids), "assignments_ended": len(dupes),
            "household_assignments": len(area_ids),
            "assignments_rekeyed": rekeyed, "assignments_changed": changed}
