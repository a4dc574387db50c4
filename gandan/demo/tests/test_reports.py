"""The demo's rollups: built for the months before and the running one, the same on a second run."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

import pytest

from gandan.demo import reports
from gandan.reports.models import Rollup
from gandan.reports.testing import OCTOBER, build_october

pytestmark = pytest.mark.django_db


def quiet(total, desc):
    return nullcontext(type("Bar", (), {"update": lambda self, n=1: None})())


def test_the_demo_rollups_cover_the_year_and_a_second_run_changes_nothing(world):
    build_october(world)
    first = reports.extend(world.province, seed=1, progress=quiet, today=dt.date(2026, 11, 3))
    rows = set(Rollup.objects.values_list("unit_id", "period", "measure", "value"))
    assert Rollup.objects.filter(unit=world.commune_a, period="2026-10", measure="visits").get().value == 6
    assert {p for _u, p, _m, _v in rows} >= {"2025-11", OCTOBER.strftime("%Y-%m"), "2026-11"}
    assert reports.extend(world.province, seed=1, progress=quiet, today=dt.date(2026, 11, 3)) == first
    assert set(Rollup.objects.values_list("unit_id", "period", "measure", "value")) == rows
    assert not Rollup.objects.filter(province_id=world.other_province.pk).exists()
