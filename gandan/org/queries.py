"""Reads on the administrative tree that need no user (the scoped ones are in people/unit_queries.py)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from gandan.org.models import AdminUnit, Household, MergeStatus, UnitMerge


def subtree_counts(unit: AdminUnit) -> dict[str, int]:
    """How many current units of each level, and households, lie below the unit."""
    below = AdminUnit.objects.below(unit).current()
    counts = {row["level__code"]: row["n"] for row in below.values("level__code").annotate(n=Count("id"))}
    counts["households"] = Household.objects.in_subtree(unit).count()
    return counts


def place_name(name: str, level: str, commune: str | None) -> str:
    """A unit's name as lists spanning communes show it: many villages share a name across communes
    ("Thôn Chúng Trải"), so a village says its commune."""
    return f"{name} ({commune})" if level == "village" and commune else name


def unit_place_name(unit: AdminUnit) -> str:
    """place_name of a unit read with its level and parent."""
    return place_name(unit.name, unit.level.code, unit.parent.name if unit.parent is not None else None)


def ended_unit_message(unit: AdminUnit) -> str:
    """Why an ended unit takes no new work, and where to record it instead (one sentence, translated)."""
    successor = unit.successor if unit.successor_id else None
    values = {"unit": unit.name, "date": f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else ""}
    if successor is not None:
        return _("%(unit)s đã sáp nhập vào %(successor)s từ ngày %(date)s; hãy ghi cho %(successor)s") % {
            **values, "successor": successor.name}
    return _("%(unit)s không còn hiệu lực từ ngày %(date)s") % values


def scheduled_merge(unit: AdminUnit) -> UnitMerge | None:
    """The merge that will end the unit on a later date, if one is scheduled (for "will merge on …")."""
    return (UnitMerge.objects.filter(source=unit, status=MergeStatus.SCHEDULED).select_related("target")
            .order_by("effective").first())
