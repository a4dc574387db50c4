"""Meetings and attendance (/api/v1/fieldwork/meetings): the secretary records everyone at once, a cadre
records only themself; followers of the unit are marked so their attendance counts for their quota."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from gandan.api.tests.helpers import MISSING_ID, assert_hidden
from gandan.assignments.models import Assignment
from gandan.core.models import AuditEvent
from gandan.fieldwork.models import Attendance, Meeting, MonthLock

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/meetings"
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]
DAY = timezone.localdate() - dt.timedelta(days=2)


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def meeting(world) -> Meeting:
    return Meeting.objects.create(province=world.province, unit=world.village_a1, kind="party_cell",
                                  party_cell=world.party_cell_a, date=DAY, secretary=world.cadre_b)


def test_a_leader_records_a_party_cell_meeting(world, api_as):
    response = post(api_as(world.commune_a_leader), API, {
        "unit_id": world.village_a1.pk, "kind": "party_cell", "party_cell_id": world.party_cell_a.pk,
        "date": DAY.isoformat(), "title": "Sinh hoạt chi bộ tháng"})

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert meeting.party_cell == world.party_cell_a and meeting.province == world.province
    assert [row["cadre_name"] for row in response.json()["attendance"]] == ["Sân Tiến Phúc"]  # a cell member
    assert AuditEvent.objects.filter(action="meeting.create").count() == 1


def test_a_party_cell_meeting_needs_its_cell(world, api_as):
    response = post(api_as(world.commune_a_leader), API, {"unit_id": world.village_a1.pk, "kind": "party_cell",
                                                           "date": DAY.isoformat()})
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_a_viewer_cannot_record_a_meeting(world, api_as):
    response = post(api_as(world.commune_a_viewer), API, {"unit_id": world.commune_a.pk, "kind": "committee",
                                                           "date": DAY.isoformat()})
    assert response.status_code == 403


def test_the_secretary_records_everyone_at_once_and_followers_are_marked(world, api_as, meeting):
    Assignment.objects.create(province=world.province, cadre=world.cadre_a, unit=world.village_a1,
                              area=world.commune_a, start=DAY - dt.timedelta(days=60))
    response = post(api_as(world.commune_b_admin), f"{API}/{meeting.pk}/attendance", [
        {"cadre_id": world.cadre_a.pk, "status": "present"},
        {"cadre_id": world.cadre_province.pk, "status": "excused"}])

    assert response.status_code == 404  # the secretary's grants are in commune B: the meeting is out of scope

    response = post(api_as(world.commune_a_leader), f"{API}/{meeting.pk}/attendance", [
        {"cadre_id": world.cadre_a.pk, "status": "present"},
        {"cadre_id": world.cadre_province.pk, "status": "excused"}])

    assert response.status_code == 200, response.content
    rows = {a.cadre_id: a for a in Attendance.objects.all()}
    assert rows[world.cadre_a.pk].status == "present" and rows[world.cadre_a.pk].as_follower
    assert rows[world.cadre_province.pk].status == "excused" and not rows[world.cadre_province.pk].as_follower
    assert rows[world.cadre_a.pk].date == DAY
    assert AuditEvent.objects.filter(action="meeting.attendance").count() == 1


def test_a_cadre_records_their_own_attendance_but_not_others(world, api_as, meeting):
    client = api_as(world.commune_a_cadre)
    assert post(client, f"{API}/{meeting.pk}/attendance",
                [{"cadre_id": world.cadre_a.pk, "status": "present"}]).status_code == 200
    response = post(client, f"{API}/{meeting.pk}/attendance", [{"cadre_id": world.cadre_b.pk, "status": "absent"}])

    assert response.status_code == 403
    assert list(Attendance.objects.values_list("cadre_id", "status")) == [(world.cadre_a.pk, "present")]


def test_recording_again_changes_the_status_and_audits_the_change(world, api_as, meeting):
    client = api_as(world.commune_a_leader)
    post(client, f"{API}/{meeting.pk}/attendance", [{"cadre_id": world.cadre_a.pk, "status": "absent"}])
    post(client, f"{API}/{meeting.pk}/attendance", [{"cadre_id": world.cadre_a.pk, "status": "excused"}])

    assert Attendance.objects.get().status == "excused"
    last = AuditEvent.objects.filter(action="meeting.attendance").last()
    assert last.before == {str(world.cadre_a.pk): "absent"} and last.after == {str(world.cadre_a.pk): "excused"}


def test_an_unknown_status_is_refused(world, api_as, meeting):
    response = post(api_as(world.commune_a_leader), f"{API}/{meeting.pk}/attendance",
                    [{"cadre_id": world.cadre_a.pk, "status": "late"}])
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_attendance_in_a_locked_month_is_refused(world, api_as, meeting):
    MonthLock.objects.create(province=world.province, month=DAY.replace(day=1))
    response = post(api_as(world.commune_a_leader), f"{API}/{meeting.pk}/attendance",
                    [{"cadre_id": world.cadre_a.pk, "status": "present"}])
    assert response.status_code == 423
    assert not Attendance.objects.exists()


def test_meetings_are_listed_in_scope(world, api_as, meeting):
    assert api_as(world.commune_a_viewer).get(API).json()["count"] == 1
    assert api_as(world.commune_b_admin).get(API).json()["count"] == 0


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_meeting_outside_the_scope_is_answered_as_missing(world, api_as, meeting, outsider):
    client = api_as(getattr(world, outsider))
    assert_hidden(client, f"{API}/{meeting.pk}", f"{API}/{MISSING_ID}")
    response = post(client, f"{API}/{meeting.pk}/attendance", [{"cadre_id": world.cadre_a.pk, "status": "present"}])
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(("language", "cell", "viewer"), [
    ("vi", "Hãy chọn chi bộ", "Bạn không ghi được cuộc họp của đơn vị này"),
    ("en", "Choose the party cell", "You may not record this unit's meetings"),
])
def test_errors_speak_the_users_language_only(world, api_as, settings, language, cell, viewer):
    leader, inspector = api_as(world.commune_a_leader), api_as(world.commune_a_viewer)
    for client in (leader, inspector):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = post(leader, API, {"unit_id": world.village_a1.pk, "kind": "party_cell", "date": DAY.isoformat()})
    assert [e["msg"] for e in response.json()["detail"]] == [cell]
    response = post(inspector, API, {"unit_id": world.commune_a.pk, "kind": "committee", "date": DAY.isoformat()})
    assert response.json() == {"detail": viewer}
