"""Factories for tests of the administrative tree: units, households, agencies (no database checks,
no audit, for arranging a test). The persona world built on them is in gandan/people/testing.py."""

from __future__ import annotations

import itertools
from typing import Any

from gandan.core.text import fold
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household, UnitLevel
from gandan.org.services import levels_ensure, unit_create

_seq = itertools.count(1)


def level(code: str) -> UnitLevel:
    return levels_ensure()[code]


def make_unit(level_code: str, name: str, parent: AdminUnit | None = None, code: str | None = None,
              division_type: str = "") -> AdminUnit:
    return unit_create(actor=None, level=level(level_code), code=code or f"T{next(_seq):05d}", name=name,
                       parent=parent, division_type=division_type)


def make_household(village: AdminUnit, head_name: str = "Nguyễn Văn An", **extra: Any) -> Household:
    assert village.province is not None  # a saved unit has its province
    return Household.objects.create(province=village.province, village=village, code=f"H{next(_seq):06d}",
                                    head_name=head_name, head_name_folded=fold(head_name), **extra)


def make_agency(unit: AdminUnit, name: str, kind: str = AgencyKind.PEOPLES_COMMITTEE, **extra: Any) -> Agency:
    return Agency.objects.create(province=unit.province, unit=unit, kind=kind, name=name, name_folded=fold(name),
                                 **extra)
