from __future__ import annotations

import datetime as dt

import pytest

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.models import AdminUnit, Agency, Household, PartyCell
from gandan.org.queries import subtree_counts
from gandan.org.services import MergeError, unit_merge
from gandan.org.testing import make_unit

MERGE_DAY = dt.date(2025, 7, 1)


def test_merge_moves_children_and_agencies_and_keeps_the_old_unit_as_predecessor(world):
    unit_merge(actor=world.province_committee, sources=[world.commune_b], target=world.commune_a,
               effective=MERGE_DAY)
    world.commune_b.refresh_from_db()
    world.village_b1.refresh_from_db()
    assert world.commune_b.valid_to == MERGE_DAY
    assert world.commune_b.successor == world.commune_a
    assert list(world.commune_a.predecessors.all()) == [world.commune_b]
    assert world.village_b1.parent == world.commune_a
    assert world.village_b1.path.startswith(world.commune_a.path + ".")
    assert world.household_b1 in Household.objects.in_subtree(world.commune_a)
    assert Agency.objects.get(pk=world.agency_b.pk).unit == world.commune_a
    event = AuditEvent.objects.get(action="unit.merge")
    assert event.after["moved"]["children"] == 1 and event.actor_id == world.province_committee.pk
    assert verify_chain().ok


def test_after_a_merge_history_stays_reachable(world):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    old = AdminUnit.objects.get(pk=world.commune_b.pk)
    # The old commune stays in the tree as a dated predecessor …
    assert old in AdminUnit.objects.filter(parent=world.province)
    assert old not in AdminUnit.objects.filter(parent=world.province).current()
    assert old not in AdminUnit.objects.filter(parent=world.province).current(dt.date(2025, 7, 1))
    assert old in AdminUnit.objects.filter(parent=world.province).current(dt.date(2025, 6, 30))
    # … the merged subtree adds up under the new commune …
    assert subtree_counts(world.commune_a) == {"village": 3, "households": 2}


def test_deep_subtrees_move_with_their_paths(world):
    hamlet_group = make_unit("village", "Tổ 1", world.village_b1)  # a deeper level, to prove the rewrite
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    hamlet_group.refresh_from_db()
    assert hamlet_group.path.startswith(world.commune_a.path + ".")
    assert hamlet_group.depth == world.commune_a.depth + 2
    assert not AdminUnit.objects.filter(path__startswith=world.commune_b.path + ".").exists()


@pytest.mark.parametrize("bad", ["self", "level", "inside", "again"])
def test_impossible_merges_are_refused_and_change_nothing(world, bad):
    if bad == "again":
        unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    before = list(AdminUnit.objects.order_by("pk").values_list("path", "valid_to", "parent"))
    events = AuditEvent.objects.count()
    sources, target = {
        "self": ([world.commune_a], world.commune_a),
        "level": ([world.village_a1], world.commune_b),
        "inside": ([world.province], world.other_province),
        "again": ([world.commune_b], world.commune_a),
    }[bad]
    if bad == "inside":
        sources, target = [world.commune_a], world.village_a1
    with pytest.raises(MergeError):
        unit_merge(actor=None, sources=sources, target=target, effective=MERGE_DAY)
    assert list(AdminUnit.objects.order_by("pk").values_list("path", "valid_to", "parent")) == before
    assert AuditEvent.objects.count() == events


def test_a_party_cell_of_a_merged_village_moves_too(world):
    other_village = make_unit("village", "Thôn Mới", world.commune_a)
    unit_merge(actor=None, sources=[world.village_a1], target=other_village, effective=MERGE_DAY)
    assert PartyCell.objects.get(pk=world.party_cell_a.pk).unit == other_village
    assert world.household_a1 in Household.objects.filter(village=other_village)


def test_merge_command_merges_by_code(world):
    from django.core.management import call_command

    call_command("merge_units", world.commune_b.code, into=world.commune_a.code, level="commune",
                 date="01/07/2025", yes=True, verbosity=0)
    assert AdminUnit.objects.get(pk=world.commune_b.pk).successor_id == world.commune_a.pk


def test_merge_command_refuses_a_bad_date_and_unknown_codes(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("merge_units", world.commune_b.code, into=world.commune_a.code, level="commune",
                     date="2025-07-01", yes=True)
    with pytest.raises(CommandError, match="NOPE"):
        call_command("merge_units", "NOPE", into=world.commune_a.code, level="commune", date="01/07/2025", yes=True)
    assert AdminUnit.objects.get(pk=world.commune_b.pk).valid_to is None


@pytest.mark.parametrize("minute", [dt.time(0, 5), dt.time(6, 55), dt.time(23, 55)])
def test_a_unit_merged_today_is_no_longer_current_from_midnight_in_vietnam(world, time_machine, minute):
    """Until 07:00 in Hà Nội the UTC date is still yesterday: "current" follows Vietnam's (Django sets TZ).
    (A fixed offset, not ZoneInfo, so that time-machine leaves the process's time zone as it is.)"""
    day = dt.date(2027, 1, 1)
    time_machine.move_to(dt.datetime.combine(day, minute, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    unit_merge(actor=world.province_committee, sources=[world.commune_b], target=world.commune_a, effective=day)
    world.commune_b.refresh_from_db()
    assert not world.commune_b.is_current
    assert not AdminUnit.objects.current().filter(pk=world.commune_b.pk).exists()
    assert AdminUnit.objects.current().filter(pk=world.commune_a.pk).exists()


def test_merge_messages_speak_one_language_at_a_time(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import translation

    with pytest.raises(CommandError) as refused:
        call_command("merge_units", "NOPE", into=world.commune_a.code, level="commune", date="01/07/2025", yes=True)
    assert str(refused.value) == "Không tìm thấy mã: NOPE"
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("merge_units", "NOPE", into=world.commune_a.code, level="commune", date="01/07/2025", yes=True)
    assert str(refused.value) == "Unknown codes: NOPE"
    with translation.override("en"), pytest.raises(MergeError) as refused:
        unit_merge(actor=None, sources=[world.commune_a], target=world.commune_a, effective=dt.date(2025, 7, 1))
    assert str(refused.value) == "A unit cannot merge into itself"
