"""Field work and merges: an ended unit takes no new visit or meeting, and a cadre whose commune merged
into another province records visits in his own village the next day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gandan.fieldwork import meeting_services
from gandan.fieldwork.models import Visit
from gandan.fieldwork.testing import make_visit
from gandan.org.models import AdminUnit
from gandan.org.services import unit_merge
from gandan.org.testing import make_unit
from gandan.people.models import Role, RoleGrant

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN), tick=False)
    return dt.date(2026, 3, 10)


def test_an_ended_village_takes_no_new_visit_and_says_where_to_record_it(world, today):
    old = make_unit("village", "Thôn Cũ", world.commune_a)
    unit_merge(actor=None, sources=[old], target=world.village_a1, effective=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        make_visit(world, units=[old], date=today)
    assert "đã sáp nhập vào Thôn Nậm Lìn từ ngày 01/03/2026" in str(refused.value.message_dict["units"])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_visit(world, units=[old], date=today)
    assert "merged into Thôn Nậm Lìn on 01/03/2026" in str(refused.value.message_dict["units"])
    assert make_visit(world, units=[old], date=dt.date(2026, 2, 27)).pk  # a visit made before the end: history
    assert not Visit.objects.filter(date=today).exists()


def test_an_ended_commune_takes_no_new_meeting(world, today):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 3, 1))
    commune_b = AdminUnit.objects.get(pk=world.commune_b.pk)
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_create(actor=None, unit=commune_b, kind="committee", date=today)
    assert "Xã Nghĩa Thuận" in refused.value.message_dict["unit"][0]


def test_a_cadre_of_a_commune_merged_into_another_province_records_a_visit_in_his_village(world, today):
    RoleGrant.objects.create(user=world.commune_b_admin, role=Role.CADRE, unit=world.commune_b)
    unit_merge(actor=None, sources=[world.commune_b], target=world.other_commune, effective=dt.date(2026, 3, 1))
    world.commune_b_admin.refresh_from_db()
    visit = make_visit(world, actor=world.commune_b_admin, units=[world.village_b1], date=today)
    assert visit.province_id == world.other_province.pk and visit.cadre_id == world.cadre_b.pk


def test_the_meetings_filter_by_unit_shows_those_of_the_units_merged_into_it(world, today, api_as):
    from gandan.fieldwork.models import Meeting

    held = Meeting.objects.create(province=world.province, unit=world.commune_b, kind="committee",
                                  date=dt.date(2026, 2, 20))
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 3, 1))
    third = make_unit("commune", "Xã Thứ Ba", world.province)
    unit_merge(actor=None, sources=[world.commune_a], target=third, effective=dt.date(2026, 3, 5))
    rows = api_as(world.province_committee).get(f"/api/v1/fieldwork/meetings?unit={third.pk}").json()
    assert [m["id"] for m in rows["items"]] == [held.pk]


def test_the_last_visit_of_a_unit_counts_the_visits_to_the_units_merged_into_it(world, today):
    from gandan.fieldwork.queries import last_visit_by_unit

    old = make_unit("village", "Thôn Cũ", world.commune_a)
    make_visit(world, units=[old], date=dt.date(2026, 2, 25))
    make_visit(world, units=[world.village_a1], date=dt.date(2026, 2, 20))
    unit_merge(actor=None, sources=[old], target=world.village_a1, effective=dt.date(2026, 3, 1))
    assert last_visit_by_unit([world.village_a1.pk, world.village_a2.pk]) == {world.village_a1.pk: dt.date(2026, 2, 25)}


def test_a_province_merge_hands_its_month_locks_and_topics_on_unless_the_target_has_its_own(world, today):
    from gandan.fieldwork.models import ChecklistTopic, MonthLock

    MonthLock.objects.create(province=world.province, month=dt.date(2026, 1, 1))
    ChecklistTopic.objects.create(province=world.province, code="roads", name_vi="Đường sá", name_en="Roads")
    ChecklistTopic.objects.create(province=world.province, code="water", name_vi="Nước", name_en="Water")
    ChecklistTopic.objects.create(province=world.other_province, code="roads", name_vi="Giao thông",
                                  name_en="Traffic")
    unit_merge(actor=None, sources=[world.province], target=world.other_province, effective=dt.date(2026, 3, 1))
    assert MonthLock.objects.get().province_id == world.other_province.pk
    assert set(ChecklistTopic.objects.filter(province=world.other_province).values_list("code", "name_en")) == {
        ("roads", "Traffic"), ("water", "Water")}
    assert ChecklistTopic.objects.filter(province=world.province).count() == 1  # the old province's own "roads"


def test_the_meetings_filter_by_an_ended_unit_shows_its_own_history(world, today):
    from gandan.fieldwork.models import Meeting
    from gandan.fieldwork.queries import meetings_at

    at_b = Meeting.objects.create(province=world.province, unit=world.commune_b, kind="committee",
                                  date=dt.date(2026, 2, 20))
    at_a = Meeting.objects.create(province=world.province, unit=world.commune_a, kind="committee",
                                  date=dt.date(2026, 2, 21))
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 3, 1))
    third = make_unit("commune", "Xã Thứ Ba", world.province)
    unit_merge(actor=None, sources=[world.commune_a], target=third, effective=dt.date(2026, 3, 5))
    ended_a = AdminUnit.objects.get(pk=world.commune_a.pk)
    assert set(meetings_at(Meeting.objects.all(), ended_a)) == {at_a, at_b}
    assert set(meetings_at(Meeting.objects.all(), AdminUnit.objects.get(pk=world.commune_b.pk))) == {at_b}
    assert set(meetings_at(Meeting.objects.all(), third)) == {at_a, at_b}
