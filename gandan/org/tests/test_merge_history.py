"""Merges that keep history whole: a chain of merges at any depth, merges on their date, districts that
end with their province, and `province_id` re-keyed across provinces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gandan.core.models import AuditEvent
from gandan.core.paths import path_q
from gandan.org.models import AdminUnit, Agency, Household, MergeStatus, UnitMerge
from gandan.org.rekey import rekey_province
from gandan.org.services import MergeError, merge_cancel, merges_apply_due, unit_merge
from gandan.org.testing import make_agency, make_household, make_unit

DAY = dt.date(2026, 3, 1)


def _fresh(*units: AdminUnit) -> list[AdminUnit]:
    return [AdminUnit.objects.get(pk=u.pk) for u in units]


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    return dt.date(2026, 3, 10)


def test_a_chain_of_merges_keeps_every_predecessor_under_the_last_unit(world, today):
    third = make_unit("commune", "Xã Thứ Ba", world.province)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=DAY)
    unit_merge(actor=None, sources=[world.commune_a], target=third, effective=DAY)
    s, t, u = _fresh(world.commune_b, world.commune_a, third)
    assert s.heir_id == u.pk and t.heir_id == u.pk and u.heir_id is None
    assert set(AdminUnit.objects.history_of(u)) == {s, t, u}
    assert set(AdminUnit.objects.history_of(t)) == {s, t}  # an ended unit's history: itself and S
    # the path prefix of U covers S, T and the villages of both: one indexed filter, no recursion
    under_u = set(AdminUnit.objects.filter(path_q([u.path])).values_list("pk", flat=True))
    assert {s.pk, t.pk, world.village_a1.pk, world.village_b1.pk} <= under_u
    # a filter by an ended unit shows that unit's history: T with S (its predecessor), not the province
    assert set(AdminUnit.objects.filter(path_q([t.path]))) == {s, t}
    # navigation keeps the old parents; only current units are current children
    assert set(AdminUnit.objects.filter(parent=world.province).current()) == {u}


def test_a_merge_dated_ahead_waits_for_its_day(world, today, time_machine):
    later = dt.date(2026, 4, 1)
    unit_merge(actor=world.province_committee, sources=[world.commune_b], target=world.commune_a, effective=later)
    b = AdminUnit.objects.get(pk=world.commune_b.pk)
    assert b.valid_to is None and b.is_current and b.successor_id is None
    assert world.village_b1.parent_id == b.pk
    merge = UnitMerge.objects.get(source=b)
    assert merge.status == MergeStatus.SCHEDULED and merge.effective == later
    assert AuditEvent.objects.filter(action="unit.merge_schedule").count() == 1
    assert merges_apply_due() == 0
    with pytest.raises(MergeError, match="đã có lịch"):
        unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=later)
    time_machine.move_to(dt.datetime(2026, 4, 1, 0, 2, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    from gandan.org.tasks import apply_due_merges

    assert apply_due_merges.call_local() == 1
    b.refresh_from_db()
    merge.refresh_from_db()
    assert b.valid_to == later and b.successor_id == world.commune_a.pk and merge.status == MergeStatus.APPLIED
    assert AdminUnit.objects.get(pk=world.village_b1.pk).parent_id == world.commune_a.pk
    assert merge.moved["children"] == 1


def test_a_scheduled_merge_can_be_cancelled(world, today):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 4, 1))
    merge = merge_cancel(actor=None, merge=UnitMerge.objects.get())
    assert merge.status == MergeStatus.CANCELLED
    assert merges_apply_due(on=dt.date(2026, 5, 1)) == 0
    with pytest.raises(MergeError):
        merge_cancel(actor=None, merge=merge)


@pytest.mark.parametrize("case", ["ended", "ending_first"])
def test_merging_into_a_unit_that_has_ended_or_will_end_first_is_refused(world, today, case):
    third = make_unit("commune", "Xã Thứ Ba", world.province)
    if case == "ended":
        unit_merge(actor=None, sources=[world.commune_a], target=third, effective=DAY)
        with pytest.raises(MergeError, match="không còn hiệu lực"):
            unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=DAY)
    else:
        unit_merge(actor=None, sources=[world.commune_a], target=third, effective=dt.date(2026, 4, 1))
        with pytest.raises(MergeError, match="trước ngày đó"):
            unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 5, 1))
    assert AdminUnit.objects.get(pk=world.commune_b.pk).valid_to is None


def test_a_province_merge_ends_its_districts_and_rekeys_every_row(world, today):
    old = make_unit("province", "Tỉnh Hà Giang", code="T02")
    district = make_unit("district", "Huyện Quản Bạ", old)
    commune = make_unit("commune", "Xã Tùng Vài", district)
    village = make_unit("village", "Thôn Tùng Vài Phìn", commune)
    household = make_household(village, "Sùng Mí Chá")
    agency = make_agency(district, "UBND huyện Quản Bạ")
    unit_merge(actor=None, sources=[old], target=world.province, effective=dt.date(2025, 7, 1))
    old, district, commune, village = _fresh(old, district, commune, village)
    assert district.valid_to == dt.date(2025, 7, 1) and district.successor_id == old.pk
    assert district.heir_id == world.province.pk and old.heir_id == world.province.pk
    assert district.path.startswith(old.path + ".~") and old.path.startswith(world.province.path + ".~")
    assert commune.parent_id == world.province.pk and commune.depth == 1
    assert village.path.startswith(commune.path + ".")
    current_children = set(AdminUnit.objects.filter(parent=world.province).current().values_list("level__code",
                                                                                                 flat=True))
    assert "district" not in current_children
    assert {u.province_id for u in (old, district, commune, village)} == {world.province.pk}
    assert Household.objects.get(pk=household.pk).province_id == world.province.pk
    assert Agency.objects.get(pk=agency.pk).unit_id == world.province.pk
    assert Agency.objects.get(pk=agency.pk).province_id == world.province.pk
    assert not AdminUnit.objects.filter(province=old).exists()
    assert AuditEvent.objects.filter(action="unit.merge").count() == 2  # the district, then the province


def test_the_end_districts_command_moves_communes_up(world, today):
    district = make_unit("district", "Huyện Hàm Yên", world.province)
    commune = make_unit("commune", "Xã Thái Sơn", district)
    call_command("end_districts", province=world.province.code, date="01/03/2026", yes=True, verbosity=0)
    district, commune = _fresh(district, commune)
    assert district.valid_to == DAY and commune.parent_id == world.province.pk
    with pytest.raises(CommandError, match="không còn huyện"):
        call_command("end_districts", province=world.province.code, date="01/03/2026", yes=True, verbosity=0)


def test_the_merge_command_schedules_a_future_date(world, today, capsys):
    call_command("merge_units", world.commune_b.code, into=world.commune_a.code, level="commune",
                 date="01/04/2026", yes=True, verbosity=1)
    assert "Sẽ sáp nhập vào ngày 01/04/2026" in capsys.readouterr().out
    assert UnitMerge.objects.get().status == MergeStatus.SCHEDULED


def test_rekey_goes_in_batches_and_reports_progress(world):
    for n in range(5):
        make_household(world.village_a1, f"Hộ {n}")
    done: list[int] = []
    changed = rekey_province(Household.objects.filter(village=world.village_a1), world.other_province.pk,
                             progress=done.append, batch=2)
    assert changed == 6 and done == [2, 2, 2]
    assert not Household.objects.filter(village=world.village_a1).exclude(province=world.other_province).exists()


def test_a_merge_remembers_the_places_the_source_had_until_its_day(world, today):
    from gandan.org.models import FormerPlace, history_scope_q

    old_village = make_unit("village", "Thôn Cũ", world.village_b1.parent)
    unit_merge(actor=None, sources=[old_village], target=world.village_b1, effective=dt.date(2026, 2, 1))
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=DAY)
    places = dict(FormerPlace.objects.filter(former=world.commune_b).values_list("unit_id", "until"))
    # its village and the village merged into it earlier (kept as history below it) lay below S until DAY
    assert places == {world.village_b1.pk: DAY, old_village.pk: DAY}
    b = AdminUnit.objects.get(pk=world.commune_b.pk)
    before, after = make_household(world.village_b1, "Trước"), make_household(world.village_b1, "Sau")
    Household.objects.filter(pk=before.pk).update(created_at=dt.datetime(2026, 2, 27, tzinfo=dt.UTC))
    Household.objects.filter(pk=after.pk).update(created_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    rows = Household.objects.filter(history_scope_q(b, "village__path", "created_at", moment=True))
    assert set(rows) == {before}  # made at its village before the day it left; not after
    # a current unit's scope is its path, as before
    a = AdminUnit.objects.get(pk=world.commune_a.pk)
    assert set(Household.objects.filter(history_scope_q(a, "village__path", "created_at", moment=True))) >= {before,
                                                                                                          after}
