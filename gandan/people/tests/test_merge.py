"""What people does when units merge (its `unit_merged` receiver): cadres and grants follow the unit."""

from __future__ import annotations

import datetime as dt

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.models import AdminUnit
from gandan.org.services import unit_merge
from gandan.people import scoping
from gandan.people import unit_queries as queries
from gandan.people.models import Cadre, RoleGrant

MERGE_DAY = dt.date(2025, 7, 1)


def test_the_cadres_and_grants_of_a_merged_unit_move_to_its_successor(world):
    unit_merge(actor=world.province_committee, sources=[world.commune_b], target=world.commune_a,
               effective=MERGE_DAY)
    assert Cadre.objects.get(pk=world.cadre_b.pk).unit == world.commune_a
    assert RoleGrant.objects.get(user=world.commune_b_admin).unit == world.commune_a
    moved = AuditEvent.objects.get(action="unit.merge").after["moved"]
    assert moved["cadres"] == 1 and moved["grants"] == 1
    assert verify_chain().ok


def test_after_a_merge_the_old_administrator_administers_the_merged_unit(world):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    old = AdminUnit.objects.get(pk=world.commune_b.pk)
    # The province still sees the old commune as a dated predecessor …
    assert queries.unit_get(world.province_committee, old.pk) == old
    # … and the old commune's administrator now administers the merged one.
    scoping.forget(world.commune_b_admin)
    assert scoping.covers(world.commune_b_admin, world.village_a1.path)


def test_a_grant_the_user_already_holds_on_the_target_is_not_doubled(world):
    RoleGrant.objects.create(user=world.commune_b_admin, role="unit_admin", unit=world.commune_a)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    assert RoleGrant.objects.filter(user=world.commune_b_admin, unit=world.commune_a).count() == 1
    assert AuditEvent.objects.get(action="unit.merge").after["moved"]["grants"] == 0


def test_those_who_worked_in_the_old_unit_still_open_its_page_and_see_it_on_the_new_one(world, client_as):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    page = client_as(world.commune_b_admin).get(f"/units/{world.commune_b.pk}/")
    assert page.status_code == 200 and "Đã sáp nhập vào" in page.content.decode()
    page = client_as(world.commune_b_admin).get(f"/units/{world.commune_a.pk}/")
    assert page.status_code == 200 and world.commune_b.name in page.content.decode()  # "formed from"
    assert client_as(world.other_province_leader).get(f"/units/{world.commune_b.pk}/").status_code == 404


def test_a_unit_page_says_when_it_will_merge(world, client_as, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 4, 1))
    page = client_as(world.commune_b_admin).get(f"/units/{world.commune_b.pk}/").content.decode()
    assert "Sẽ sáp nhập vào" in page and "ngày 01/04/2026" in page and world.commune_a.name in page


def test_a_cadre_code_already_used_in_the_target_province_stops_the_merge_with_its_name(world):
    import pytest

    from gandan.org.services import MergeError

    Cadre.objects.filter(pk=world.cadre_other.pk).update(code=world.cadre_b.code)
    with pytest.raises(MergeError, match=world.cadre_b.code):
        unit_merge(actor=None, sources=[world.commune_b], target=world.other_commune, effective=MERGE_DAY)
    assert AdminUnit.objects.get(pk=world.commune_b.pk).valid_to is None
    assert Cadre.objects.get(pk=world.cadre_b.pk).unit_id == world.commune_b.pk
