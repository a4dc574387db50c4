"""The field-work pages' writes through their forms: the attendance sheet, unlocking a month, and the
province's checklist topics and quotas (one POST-only view each). A change is saved and redirects;
bad input comes back with its error (inline, as every field-work form) and changes nothing; those
without the role are refused; a user without a province gets the 404 of a missing page; a GET on a
POST-only view is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.core.models import AuditEvent
from gandan.fieldwork.models import Attendance, ChecklistTopic, Meeting, MonthLock, Quota
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
TOPIC = {"topic-code": "", "topic-name_vi": "Nước sạch", "topic-name_en": "Clean water", "topic-is_active": "on"}
QUOTA = {"quota-level": "commune", "quota-employment_type": "", "quota-field_days": 4, "quota-visits": 6,
         "quota-meeting_pct": 100}
POSTS = {"/fieldwork/locks/unlock/": {"month": "2025-09"}, "/fieldwork/settings/topics/": TOPIC,
         "/fieldwork/settings/quotas/": QUOTA}


@pytest.fixture
def province_admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


@pytest.fixture
def meeting(world) -> Meeting:
    return Meeting.objects.create(province=world.province, unit=world.village_a1, kind="party_cell",
                                  party_cell=world.party_cell_a, date=YESTERDAY)


def saved() -> tuple:
    return (list(Attendance.objects.values_list("cadre_id", "status")), list(MonthLock.objects.values_list("month")),
            list(ChecklistTopic.objects.values_list("code", "name_vi")),
            list(Quota.objects.values_list("level", "field_days_per_month")), AuditEvent.objects.count())


# -- attendance -----------------------------------------------------------------------------------
def test_the_sheet_records_and_then_shows_the_choice(world, client_as, meeting):
    client = client_as(world.commune_a_leader)
    response = client.post(f"/fieldwork/meetings/{meeting.pk}/", {f"status_{world.cadre_a.pk}": "excused"})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("cadre_id", "status")) == [(world.cadre_a.pk, "excused")]
    page = client.get(f"/fieldwork/meetings/{meeting.pk}/").content.decode()
    assert f'name="status_{world.cadre_a.pk}" id="s{world.cadre_a.pk}-excused" value="excused" checked' in page


def test_an_unknown_status_comes_back_with_the_error_and_changes_nothing(world, client_as, meeting):
    before = saved()
    response = client_as(world.commune_a_leader).post(f"/fieldwork/meetings/{meeting.pk}/",
                                                      {f"status_{world.cadre_a.pk}": "late"})
    assert response.status_code == 200
    assert response.context["form"].has_error(f"status_{world.cadre_a.pk}")
    assert 'class="alert alert-danger"' in response.content.decode()
    assert saved() == before


def test_a_cadre_sees_a_choice_only_on_their_own_line(world, client_as, meeting):
    Attendance.objects.create(province=world.province, meeting=meeting, cadre=world.cadre_province, date=YESTERDAY,
                              status="present", recorded_at=timezone.now())  # on the sheet since recorded
    form = client_as(world.commune_a_cadre).get(f"/fieldwork/meetings/{meeting.pk}/").context["form"]
    assert {cadre.pk: field is not None for cadre, _row, field in form.rows} == {
        world.cadre_a.pk: True, world.cadre_province.pk: False}
    response = client_as(world.commune_a_cadre).post(f"/fieldwork/meetings/{meeting.pk}/", {
        f"status_{world.cadre_a.pk}": "present", f"status_{world.cadre_province.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("cadre_id", "status")) == {
        world.cadre_a.pk: "present", world.cadre_province.pk: "present"}


def test_a_locked_month_refuses_attendance_with_the_reason(world, client_as, meeting):
    MonthLock.objects.create(province=world.province, month=YESTERDAY.replace(day=1))
    before = saved()
    response = client_as(world.commune_a_leader).post(f"/fieldwork/meetings/{meeting.pk}/",
                                                      {f"status_{world.cadre_a.pk}": "present"})
    assert response.status_code == 200 and "khóa sổ" in response.content.decode()
    assert saved() == before


# -- recording a meeting ------------------------------------------------------------------------
def test_the_meeting_form_offers_the_cells_and_cadres_of_the_unit_chosen(world, client_as):
    form = client_as(world.commune_a_leader).get("/fieldwork/meetings/new/", {"unit": world.village_a1.pk,
                                                                             "kind": "party_cell"}).context["form"]
    assert form.chosen_unit() == world.village_a1.pk
    assert [label for _pk, label in form.fields["party_cell"].choices] == ["—", "Chi bộ thôn Nậm Lìn"]


def test_a_meeting_at_a_unit_outside_the_scope_is_answered_as_missing(world, client_as):
    client = client_as(world.commune_a_leader)
    data = {"kind": "committee", "date": YESTERDAY.isoformat(), "title": "Họp"}
    hidden = client.post("/fieldwork/meetings/new/", {**data, "unit": world.village_b1.pk})
    missing = client.post("/fieldwork/meetings/new/", {**data, "unit": 987654})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert not Meeting.objects.exists()


def test_a_meeting_without_a_unit_keeps_what_was_typed(world, client_as):
    response = client_as(world.commune_a_leader).post("/fieldwork/meetings/new/", {
        "kind": "committee", "date": YESTERDAY.isoformat(), "title": "Giữ chữ"})
    assert response.context["form"].has_error("unit") and "Giữ chữ" in response.content.decode()
    assert not Meeting.objects.exists()


# -- unlocking a month ----------------------------------------------------------------------------
def test_an_administrator_unlocks_a_month(world, client_as, province_admin):
    MonthLock.objects.create(province=world.province, month=dt.date(2025, 9, 1))
    response = client_as(province_admin).post("/fieldwork/locks/unlock/", {"month": "2025-09"})
    assert response.status_code == 302 and response["Location"] == "/fieldwork/locks/"
    assert not MonthLock.objects.exists()
    assert AuditEvent.objects.filter(action="month.unlock").count() == 1


@pytest.mark.parametrize("month", ["", "tháng chín", "2025-13"])
def test_unlocking_a_month_that_is_not_one_is_refused(world, client_as, province_admin, month):
    MonthLock.objects.create(province=world.province, month=timezone.localdate().replace(day=1))
    before = saved()
    response = client_as(province_admin).post("/fieldwork/locks/unlock/", {"month": month})
    assert response.status_code == 200 and response.context["unlock_form"].has_error("month")
    assert saved() == before  # garbage used to be read as "this month" and unlock it


# -- topics and quotas ----------------------------------------------------------------------------
def test_the_committee_renames_a_topic_by_its_code(world, client_as):
    client = client_as(world.province_committee)
    client.post("/fieldwork/settings/topics/", TOPIC)
    response = client.post("/fieldwork/settings/topics/", {**TOPIC, "topic-code": "nuoc-sach",
                                                            "topic-name_vi": "Nước sạch, vệ sinh"})
    assert response.status_code == 302 and response["Location"] == "/fieldwork/settings/"
    topic = ChecklistTopic.objects.get(province=world.province, code="nuoc-sach")
    assert (topic.name_vi, topic.name_en, topic.is_active) == ("Nước sạch, vệ sinh", "Clean water", True)


def test_a_topic_without_a_name_keeps_what_was_typed(world, client_as):
    before = saved()
    response = client_as(world.province_committee).post("/fieldwork/settings/topics/", {
        **TOPIC, "topic-name_vi": "", "topic-name_en": "Typed"})
    assert response.status_code == 200 and response.context["topic_form"].has_error("name_vi")
    assert 'value="Typed"' in response.content.decode()
    assert saved() == before


def test_the_committee_sets_a_quota(world, client_as):
    response = client_as(world.province_committee).post("/fieldwork/settings/quotas/", QUOTA)
    assert response.status_code == 302
    quota = Quota.objects.get(province=world.province, level="commune")
    assert (quota.field_days_per_month, quota.visits_per_month, quota.meeting_attendance_pct) == (4, 6, 100)


def test_a_quota_out_of_range_keeps_what_was_typed(world, client_as):
    before = saved()
    response = client_as(world.province_committee).post("/fieldwork/settings/quotas/", {
        **QUOTA, "quota-field_days": 40, "quota-visits": 7})
    assert response.status_code == 200 and response.context["quota_form"].has_error("field_days")
    assert 'value="7"' in response.content.decode()
    assert saved() == before


# -- who may, outsiders, GET ----------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["commune_a_leader", "commune_b_admin", "other_province_leader"])
@pytest.mark.parametrize("url", list(POSTS))
def test_those_without_the_role_are_refused_and_nothing_changes(world, client_as, persona, url):
    MonthLock.objects.create(province=world.province, month=dt.date(2025, 9, 1))
    before = saved()
    assert client_as(getattr(world, persona)).post(url, POSTS[url]).status_code == 403
    assert saved() == before


@pytest.mark.parametrize("url", list(POSTS))
def test_a_user_without_a_province_is_answered_as_missing(world, client_as, url):
    MonthLock.objects.create(province=world.province, month=dt.date(2025, 9, 1))
    before = saved()
    assert client_as(world.nobody).post(url, POSTS[url]).status_code == 404
    assert saved() == before


@pytest.mark.parametrize("url", list(POSTS))
def test_the_changes_are_post_only(world, client_as, province_admin, url):
    assert client_as(province_admin).get(url).status_code == 405
