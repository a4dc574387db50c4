"""Coverage counted in SQL: per level, per child for drill-down, loads per follower, gap lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandan.assignments import rules as R
from gandan.assignments.coverage import Tally
from gandan.assignments.coverage_queries import (
    child_tallies,
    follower_loads,
    gap_households,
    gap_units,
    level_loads,
    level_tallies,
)
from gandan.assignments.models import FollowerRole
from gandan.assignments.testing import make_assignment
from gandan.org.testing import make_household, make_unit
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(world):
    """Commune A followed by the province; village A1 and household A1 followed; B only supported."""
    make_assignment(world.cadre_province, unit=world.commune_a)
    make_assignment(world.cadre_province, unit=world.commune_b, role=FollowerRole.SUPPORTING)
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_a, household=world.household_a1)
    make_assignment(world.cadre_b, unit=world.village_b1, end=dt.date(2025, 9, 1))  # over
    return world


def test_province_coverage_per_level(assigned):
    w = assigned
    assert level_tallies(w.province) == {"commune": Tally(1, 2), "village": Tally(1, 3), "household": Tally(1, 2)}
    assert level_tallies(w.commune_a) == {"village": Tally(1, 2), "household": Tally(1, 1)}
    assert level_tallies(w.village_b1) == {"household": Tally(0, 1)}
    assert level_tallies(w.province, on=dt.date(2025, 8, 15))["village"] == Tally(2, 3)


def test_drill_down_per_child(assigned):
    w = assigned
    rows = {c.unit.name: c for c in child_tallies(w.province)}
    assert rows["Xã Nghĩa Thuận"].covered and not rows["Xã Quản Bạ"].covered
    assert rows["Xã Nghĩa Thuận"].tallies == {"village": Tally(1, 2), "household": Tally(1, 1)}
    assert rows["Xã Quản Bạ"].tallies == {"village": Tally(0, 1), "household": Tally(0, 1)}
    villages = {c.unit.name: c for c in child_tallies(w.commune_a)}
    assert villages["Thôn Nậm Lìn"].covered and villages["Thôn Nậm Lìn"].tallies == {"household": Tally(1, 1)}
    assert villages["Thôn Cốc Pảng"].tallies == {}


def test_drill_down_through_a_district_of_the_old_tree(world):
    district = make_unit("district", "Huyện cũ", world.province)
    commune = make_unit("commune", "Xã cũ", district)
    village = make_unit("village", "Thôn cũ", commune)
    make_household(village)
    make_assignment(world.cadre_province, unit=commune)
    rows = {c.unit.name: c for c in child_tallies(world.province)}
    assert rows["Huyện cũ"].tallies == {"commune": Tally(1, 1), "village": Tally(0, 1), "household": Tally(0, 1)}


def test_coverage_takes_a_constant_number_of_queries(assigned):
    w = assigned
    for i in range(5):
        village = make_unit("village", f"Thôn mới {i}", w.commune_b)
        make_household(village)
        make_assignment(w.cadre_b, unit=village)
    with CaptureQueriesContext(connection) as few:
        child_tallies(w.province)
        level_tallies(w.province)
    for i in range(5):
        make_unit("commune", f"Xã mới {i}", w.province)
    with CaptureQueriesContext(connection) as more:
        child_tallies(w.province)
        level_tallies(w.province)
    assert len(more) == len(few) <= 8


def test_loads_per_follower_and_imbalance(assigned):
    w = assigned
    extra = make_cadre(w.agency_a, "Lò Văn Hải")
    for i in range(4):
        make_assignment(extra, household=make_household(w.village_a2, f"Hộ {i}"))
    loads = follower_loads(w.commune_a)
    assert [(f.cadre.full_name, f.primary) for f in loads] == [
        ("Lò Văn Hải", {"household": 4}), ("Sân Tiến Phúc", {"village": 1, "household": 1})]
    stats = {s.level: s for s in level_loads(w.commune_a, loads, R.DEFAULT_RULES, ["village", "household"])}
    assert stats["household"].stats.total == 5 and stats["household"].stats.max_min_ratio == 4
    assert stats["household"].cap == 40 and stats["household"].over_cap == 0
    assert stats["household"].eligible == 2 and stats["household"].idle == 0
    assert stats["village"].eligible == 2 and stats["village"].idle == 1


def test_province_loads_count_supporting_apart(assigned):
    loads = follower_loads(assigned.province)
    province = next(f for f in loads if f.cadre == assigned.cadre_province)
    assert province.primary == {"commune": 1} and province.supporting == {"commune": 1}


def test_gap_lists(assigned):
    w = assigned
    assert list(gap_units(w.province, "village")) == sorted([w.village_a2, w.village_b1], key=lambda u: u.path)
    assert list(gap_units(w.province, "commune")) == [w.commune_b]
    assert list(gap_households(w.province)) == [w.household_b1]
    assert list(gap_households(w.commune_a)) == []
