"""Reads on the administrative tree that need no user (the scoped ones are in people/unit_queries.py)."""

from __future__ import annotations

from django.db.models import Count

from gandan.org.models import AdminUnit, Household


def subtree_counts(unit: AdminUnit) -> dict[str, int]:
    """How many current units of each level, and households, lie below the unit."""
    below = AdminUnit.objects.below(unit).current()
    counts = {row["level__code"]: row["n"] for row in below.values("level__code").annotate(n=Count("id"))}
    counts["households"] = Household.objects.in_subtree(unit).count()
    return counts
