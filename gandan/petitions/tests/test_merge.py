"""Concerns and merges: work in hand moves (answered ones awaiting the rating too), closed work stays the
old unit's history and counts under its successor, whose rates row it joins."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.org.services import unit_merge
from gandan.petitions import queries, reports, services, states
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

VN = dt.timezone(dt.timedelta(hours=7))
PERIOD = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def concerns(world, time_machine):
    from gandan.people.models import Role, RoleGrant

    time_machine.move_to(dt.datetime(2026, 3, 10, 9, tzinfo=VN), tick=False)
    RoleGrant.objects.create(user=world.commune_b_admin, role=Role.CADRE, unit=world.commune_b)
    user = world.commune_b_admin
    answered = services.petition_accept(actor=user, petition=receive(world, unit=world.commune_b, actor=user))
    answered = services.petition_answer(actor=user, petition=answered, text="Đã sửa xong.")
    closed = services.petition_accept(actor=user, petition=receive(world, unit=world.commune_b, actor=user,
                                                                    text="Đèn đường trước nhà văn hóa bị hỏng."))
    closed = services.petition_answer(actor=user, petition=closed, text="Đã thay bóng đèn.")
    pin = services.petition_pin_issue(actor=user, petition=closed).pin
    services.petition_rate(actor=None, petition=closed, satisfied=True, pin=pin)
    time_machine.move_to(dt.datetime(2026, 3, 20, 9, tzinfo=VN), tick=False)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 3, 15))
    return {"answered": Petition.objects.get(pk=answered.pk), "closed": Petition.objects.get(pk=closed.pk)}


def test_an_answered_concern_awaiting_the_rating_moves_and_a_closed_one_stays(world, concerns):
    answered, closed = concerns["answered"], concerns["closed"]
    assert answered.status == states.ANSWERED
    assert (answered.unit_id, answered.holder_unit_id) == (world.commune_a.pk, world.commune_a.pk)
    assert closed.unit_id == world.commune_b.pk  # where it happened: the old unit's history
    listed = queries.search(world.commune_a_leader, queries.Filters(unit=world.commune_a.pk))
    assert {answered.pk, closed.pk} <= set(listed.values_list("pk", flat=True))


def test_the_old_unit_has_no_rates_row_and_its_stints_count_under_the_new_one(world, concerns):
    rows, _departments, total = reports.rates_table(world.province, *PERIOD)
    assert [row.pk for row in rows] == [world.commune_a.pk]
    row = rows[0]
    assert (row.figures.received, row.figures.rated, row.figures.satisfied) == (2, 1, 1)
    behind = queries.search(world.province_committee, queries.Filters(held_unit=world.commune_a.pk, flag="received",
                                                                      start=PERIOD[0], end=PERIOD[1]))
    assert behind.count() == 2  # the count links to the rows behind it
    ranked, _ = reports.ranking(world.province, dt.date(2026, 3, 1))
    assert world.commune_b.pk not in {r.pk for r in ranked}


def test_a_unit_whose_merge_is_scheduled_takes_concerns_until_its_day(world, time_machine):
    from django.core.exceptions import ValidationError

    from gandan.org.services import merges_apply_due

    time_machine.move_to(dt.datetime(2026, 3, 10, 9, tzinfo=VN), tick=False)
    unit_merge(actor=None, sources=[world.village_a2], target=world.village_a1, effective=dt.date(2026, 4, 1))
    waiting = receive(world, unit=world.village_a2)
    assert waiting.unit_id == world.village_a2.pk
    time_machine.move_to(dt.datetime(2026, 4, 1, 0, 30, tzinfo=VN), tick=False)
    assert merges_apply_due() == 1
    assert Petition.objects.get(pk=waiting.pk).unit_id == world.village_a1.pk
    with pytest.raises(ValidationError):
        receive(world, unit=world.village_a2)
