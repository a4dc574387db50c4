"""When a commune merges into one of another province, its months still being evaluated follow its
agency, concluded ones stay its history, and no sheet keeps the dead province."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.evaluation.models import AgencyMonth, Sheet
from gandan.evaluation.testing import conclude_month, open_month
from gandan.org.services import unit_merge
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db


def test_a_merge_across_provinces_moves_the_open_month_and_rekeys_every_sheet(world):
    concluded = conclude_month(open_month(world, dt.date(2026, 2, 1)), [(world.commune_a_cadre, world.cadre_a.pk, 25)],
                               world.commune_a_leader)
    running = open_month(world, dt.date(2026, 3, 1))
    source, target = world.commune_a, world.other_commune
    with on(dt.date(2026, 4, 15)):
        unit_merge(actor=None, sources=[source], target=target, effective=dt.date(2026, 4, 15))
    concluded.refresh_from_db()
    running.refresh_from_db()
    assert running.unit_id == target.pk and concluded.unit_id == source.pk  # history stays the old commune's
    assert not AgencyMonth.objects.filter(province=world.province).exists()
    assert not Sheet.objects.filter(province=world.province).exists()
    assert Sheet.objects.filter(agency_month=running, unit=target).count() == running.sheets.count() > 0
