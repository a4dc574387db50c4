"""A merge rebuilds the rollups it changes: the target's months count the source's history, and the
source's concerns and visits are not counted twice."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.org.services import unit_merge
from gandan.reports.models import PeriodReport
from gandan.reports.rollup import rebuild_month
from gandan.reports.tests.test_rollups import raw, rollup

pytestmark = pytest.mark.django_db


def test_a_merge_rebuilds_the_months_so_the_target_counts_the_source_s_history(
        october, django_capture_on_commit_callbacks):
    world = october
    rebuild_month(dt.date(2026, 10, 1))
    a, b, province = world.commune_a, world.commune_b, world.province
    before = {unit.pk: {m: rollup(unit, m) for m in ("visits", "concerns_raised")} for unit in (a, b, province)}
    assert before[b.pk]["visits"] > 0 and before[b.pk]["concerns_raised"] > 0
    report = PeriodReport.objects.create(province=province, unit=b, period="2026-10")
    with django_capture_on_commit_callbacks(execute=True):
        unit_merge(actor=None, sources=[b], target=a, effective=dt.date(2026, 11, 1))
    for measure in ("visits", "concerns_raised"):
        assert rollup(a, measure) == before[a.pk][measure] + before[b.pk][measure], measure
        assert rollup(province, measure) == before[province.pk][measure], measure  # nothing counted twice
    assert rollup(a, "visits") == raw(a)["visits"]
    report.refresh_from_db()
    assert report.unit_id == b.pk  # a report sent stays the record of who sent it
