"""A hand-made month for the reports' tests, on the persona world of gandan.people.testing: field work,
concerns, tasks and a campaign in October 2026, in commune A, commune B and the other province, so
that every rollup has something to count and something it must not count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from gandan.assignments.testing import make_assignment
from gandan.campaigns.testing import make_campaign, make_event
from gandan.fieldwork.models import VisitKind
from gandan.fieldwork.testing import make_visit
from gandan.org.testing import make_household
from gandan.people.models import Role
from gandan.people.testing import World, make_user
from gandan.petitions.testing import receive
from gandan.plans.testing import assign, finish

VN = dt.timezone(dt.timedelta(hours=7))
OCTOBER = dt.date(2026, 10, 1)
AFTER = dt.datetime(2026, 11, 3, 9, tzinfo=VN)  # the instant the tests run at: October is over


def on(day: dt.date, hour: int = 10) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False)


def build_october(world: World) -> None:
    """Arrange October 2026 (call it before travelling to AFTER)."""
    extra = make_household(world.village_a2, "Lò Văn Sinh")
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1)
    make_assignment(world.cadre_b, unit=world.village_b1)
    make_assignment(world.cadre_province, unit=world.commune_a)
    with on(dt.date(2026, 10, 20)):
        for day in (2, 9, 16):
            make_visit(world, date=dt.date(2026, 10, day), kind=VisitKind.FIELD_DAY)
        make_visit(world, date=dt.date(2026, 10, 5), units=[world.village_a1, world.village_a2],
                   households=[world.household_a1, extra])
        make_visit(world, date=dt.date(2026, 9, 30))  # September: not October's
        make_visit(world, actor=world.commune_b_admin, date=dt.date(2026, 10, 7), units=[world.village_b1])
        make_visit(world, actor=world.other_province_leader, date=dt.date(2026, 10, 8), units=[world.other_commune])
    leader_b = make_user("commune_b_leader", role=Role.LEADER, unit=world.commune_b)
    for day, unit in ((3, world.village_a1), (10, world.village_a2), (12, world.village_b1)):
        with on(dt.date(2026, 10, day)):
            receive(world, unit=unit, actor=world.commune_a_cadre if unit != world.village_b1 else leader_b)
    with on(dt.date(2026, 10, 12)):
        receive(world, unit=world.other_commune, actor=world.other_province_leader)
    done = assign(world, given=dt.date(2026, 10, 1), due=dt.date(2026, 10, 10))
    finish(done, world.commune_a_cadre, dt.date(2026, 10, 9))
    late = assign(world, given=dt.date(2026, 10, 1), due=dt.date(2026, 10, 15), title="Họp dân thôn Cốc Pảng")
    finish(late, world.commune_a_cadre, dt.date(2026, 10, 20))
    assign(world, given=dt.date(2026, 10, 2), due=dt.date(2026, 10, 25), title="Kiểm tra đường thôn")
    campaign = make_campaign(world)
    with on(dt.date(2026, 10, 20)):
        make_event(world, campaign, date=dt.date(2026, 10, 3), citizens=40)
        make_event(world, campaign, date=dt.date(2026, 10, 10), unit_id=world.village_a2.pk, citizens=25,
                   outputs=[])
