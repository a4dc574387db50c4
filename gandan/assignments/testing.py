"""Factories for assignment tests (the persona world is in gandan/people/testing.py)."""

from __future__ import annotations

import datetime as dt

from gandan.assignments.models import Assignment, FollowerRole
from gandan.org.models import AdminUnit, Household
from gandan.people.models import Cadre

START = dt.date(2025, 8, 1)


def make_assignment(cadre: Cadre, *, unit: AdminUnit | None = None, household: Household | None = None,
                    role: str = FollowerRole.PRIMARY, start: dt.date = START,
                    end: dt.date | None = None) -> Assignment:
    """An assignment written straight to the table (no checks, no audit): for arranging a test."""
    area = unit if unit is not None else household.village  # type: ignore[union-attr]  # one of the two is given
    return Assignment.objects.create(province_id=area.province_id, cadre=cadre, unit=unit, household=household,  # type: ignore[misc]  # a saved unit has its province
                                     area=area, role=role, start=start, end=end)
