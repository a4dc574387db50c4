"""Field-day visits recorded for another module's activity: one per cadre and activity, whatever the retries."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from gandan.fieldwork.linked_visits import linked_visits_sync
from gandan.fieldwork.models import Visit, VisitKind
from gandan.fieldwork.services import MonthLocked
from gandan.fieldwork.setting_services import month_lock

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 9, 4)


def test_a_sync_makes_one_visit_per_cadre_and_a_repeat_makes_none(world):
    source = uuid.uuid4()
    for _ in range(2):
        found = linked_visits_sync(actor=None, source=source, date=DAY, unit=world.village_a1,
                                   cadre_ids=[world.cadre_a.pk, world.cadre_b.pk])
    assert set(found) == {world.cadre_a.pk, world.cadre_b.pk}
    assert Visit.objects.filter(kind=VisitKind.FIELD_DAY, date=DAY).count() == 2


def test_a_cadre_no_longer_present_loses_the_visit(world):
    source = uuid.uuid4()
    linked_visits_sync(actor=None, source=source, date=DAY, unit=world.village_a1,
                       cadre_ids=[world.cadre_a.pk, world.cadre_b.pk])
    linked_visits_sync(actor=None, source=source, date=DAY, unit=world.village_a1, cadre_ids=[world.cadre_b.pk],
                       previous_cadre_ids=[world.cadre_a.pk, world.cadre_b.pk])
    assert list(Visit.objects.values_list("cadre_id", flat=True)) == [world.cadre_b.pk]


def test_a_locked_month_is_refused(world):
    month_lock(actor=None, province=world.province, month=DAY)
    with pytest.raises(MonthLocked):
        linked_visits_sync(actor=None, source=uuid.uuid4(), date=DAY, unit=world.village_a1,
                           cadre_ids=[world.cadre_a.pk])
    assert not Visit.objects.exists()
