"""The write context (fieldwork/write_context.py), compiled once per shape, reads what its querysets
read: the stored visit, the day's count, the month's lock, the topics, the places and the grants, each
as they are at the time of the create (nothing cached between creates)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from gandan.fieldwork import write_context
from gandan.fieldwork.models import ChecklistTopic, MonthLock
from gandan.fieldwork.testing import make_visit
from gandan.people.models import Role, RoleGrant

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def read(world, *, client_uuid=None, units=None, households=(), user=True, date=DAY):
    return write_context.visit_write_context(
        province_id=world.province.pk, client_uuid=client_uuid or uuid.uuid4(), cadre_id=world.cadre_a.pk, date=date,
        unit_ids=[u.pk for u in (units if units is not None else [world.village_a1])],
        household_ids=[h.pk for h in households], user_id=world.commune_a_cadre.pk if user else None, today=DAY)


def as_orm_reads(world, *, client_uuid, units, households, date=DAY):
    """The same union evaluated as a queryset, built afresh: the reference."""
    return sorted(write_context._parts(
        province_id=world.province.pk, client_uuid=client_uuid, cadre_id=world.cadre_a.pk, date=date,
        month=date.replace(day=1), unit_ids=[u.pk for u in units], household_ids=[h.pk for h in households],
        user_id=world.commune_a_cadre.pk, today=DAY), key=repr)


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
def test_the_compiled_context_reads_what_the_querysets_read(world):
    stored = make_visit(world, date=DAY, households=[world.household_a1])
    MonthLock.objects.create(province=world.province, month=dt.date(2026, 2, 1))
    cases = [dict(client_uuid=stored.client_uuid, units=[world.village_a1], households=[world.household_a1]),
             dict(client_uuid=uuid.uuid4(), units=[world.village_a1, world.village_a2], households=[]),
             dict(client_uuid=uuid.uuid4(), units=[world.village_b1, world.other_commune],
                  households=[world.household_a1, world.household_b1], date=dt.date(2026, 2, 27))]
    for case in cases:
        context = read(world, **case)
        reference = as_orm_reads(world, **case)
        assert sorted((k, pk) for k, pk, *_rest in reference if k in "uh") == sorted(
            [("u", pk) for pk in context.units] + [("h", pk) for pk in context.households])
        assert {text for k, _pk, _r, _p, text, *_l in reference if k == "t"} == context.topic_codes
        assert any(k == "l" for k, *_r in reference) == context.month_locked
        assert sorted((text, path) for k, _pk, _r, path, text, *_l in reference if k == "g") == sorted(context.grants)
        assert next((pk for k, pk, *_r in reference if k == "d"), 0) == context.day_count
    assert read(world, client_uuid=stored.client_uuid).existing == (stored.pk, world.cadre_a.pk, stored.body_hash)
    assert read(world, units=[world.village_a1, world.village_a2]).units.keys() == {world.village_a1.pk,
                                                                                   world.village_a2.pk}
    assert read(world, units=[world.other_commune]).units == {}  # another province's unit is not a place here
    assert read(world, date=dt.date(2026, 2, 3)).month_locked and not read(world).month_locked


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
def test_each_create_reads_the_current_topics_lock_and_grants(world):
    topic = ChecklistTopic.objects.create(province=world.province, code="flood", name_vi="Lũ lụt")
    before = read(world)
    assert topic.code in before.topic_codes and not before.month_locked

    topic.delete()
    MonthLock.objects.create(province=world.province, month=DAY.replace(day=1))
    RoleGrant.objects.create(user=world.commune_a_cadre, role=Role.LEADER, unit=world.commune_b)
    RoleGrant.objects.filter(user=world.commune_a_cadre, unit=world.commune_a).update(valid_to=DAY)

    after = read(world)
    assert topic.code not in after.topic_codes and after.month_locked
    assert after.grants == [(Role.LEADER, world.commune_b.path)]
    assert read(world, user=False).grants is None


def test_the_statement_is_compiled_once_per_shape(world):
    write_context._statement.cache_clear()
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)):
        read(world)
        read(world, client_uuid=uuid.uuid4())
        read(world, units=[world.village_a2])
        read(world, units=[world.village_a1, world.village_a2], households=[world.household_a1])
        read(world, user=False)
    assert write_context._statement.cache_info().misses == 3
    assert timezone.localdate()  # time_machine left
