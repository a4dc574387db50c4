"""Quota compliance (/api/v1/fieldwork/compliance and the queries behind it): counts gathered in grouped
SQL, judged by the pure rules, per cadre, agency and unit, this month and over time, within scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.fieldwork import queries, setting_services
from gandan.fieldwork.models import Attendance, Meeting
from gandan.fieldwork.testing import make_visit

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/compliance"
LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def thursdays(month: dt.date) -> list[dt.date]:
    day = month + dt.timedelta(days=(3 - month.weekday()) % 7)
    return [day + dt.timedelta(weeks=i) for i in range(4)]


@pytest.fixture
def activity(world):
    """Last month: cadre A did 3 field days, 2 household visits and attended both followed meetings;
    cadre B made one field day; the province cadre made no visit."""
    for day in thursdays(LAST_MONTH)[:3]:
        make_visit(world, date=day, kind="field_day")
    for day in thursdays(LAST_MONTH)[:2]:
        make_visit(world, date=day + dt.timedelta(days=1), kind="household_visit", units=[],
                   households=[world.household_a1])
    make_visit(world, actor=world.commune_b_admin, date=thursdays(LAST_MONTH)[0], kind="field_day",
               units=[world.village_b1])
    for day in thursdays(LAST_MONTH)[:2]:
        meeting = Meeting.objects.create(province=world.province, unit=world.village_a1, kind="committee", date=day)
        Attendance.objects.create(province=world.province, meeting=meeting, cadre=world.cadre_a, date=day,
                                  status="present", as_follower=True)
    return world


def test_each_cadre_is_judged_against_the_quota_of_their_level(activity, api_as):
    body = api_as(activity.province_committee).get(API, {"month": LAST_MONTH.isoformat()}).json()

    rows = {row["full_name"]: row for row in body["cadres"]}
    assert rows["Sân Tiến Phúc"] == {**rows["Sân Tiến Phúc"], "field_days": 3, "visits": 5, "meetings_expected": 2,
                                     "meetings_attended": 2, "met": True, "behind": []}
    assert rows["Lý Thị Mai"]["behind"] == ["field_days", "visits"]
    assert rows["Hoàng Văn Đức"]["behind"] == ["visits"]  # a province cadre: no field days required
    assert body["overall"] == {"key": "all", "cadres": 3, "met": 1, "behind": 2, "pct": 33}
    assert not body["running"]


def test_agencies_and_units_are_summed_and_who_is_behind_is_listed(activity, api_as):
    body = api_as(activity.province_committee).get(API, {"month": LAST_MONTH.isoformat(), "behind_only": True}).json()

    agencies = {g["key"]: (g["cadres"], g["met"], g["behind"]) for g in body["by_agency"]}
    assert agencies == {"UBND xã Nghĩa Thuận": (1, 1, 0), "UBND xã Quản Bạ": (1, 0, 1),
                        "Sở Nông nghiệp và Môi trường": (1, 0, 1)}
    assert {g["key"] for g in body["by_unit"]} == {"Xã Nghĩa Thuận", "Xã Quản Bạ", "Tỉnh Tuyên Quang"}
    assert [row["full_name"] for row in body["cadres"]] == ["Hoàng Văn Đức", "Lý Thị Mai"]


def test_a_commune_sees_only_its_own_cadres(activity, api_as):
    body = api_as(activity.commune_a_viewer).get(API, {"month": LAST_MONTH.isoformat()}).json()
    assert [row["full_name"] for row in body["cadres"]] == ["Sân Tiến Phúc"]
    other = api_as(activity.other_province_leader).get(API, {"month": LAST_MONTH.isoformat()}).json()
    assert [row["full_name"] for row in other["cadres"]] == ["Giàng A Páo"]
    assert api_as(activity.nobody).get(API).json()["cadres"] == []


def test_a_unit_outside_the_scope_is_answered_as_missing(activity, api_as):
    response = api_as(activity.commune_a_viewer).get(API, {"unit": activity.commune_b.pk})
    assert response.status_code == 404


def test_a_province_quota_changes_the_verdict(activity, api_as):
    setting_services.quota_save(actor=activity.province_committee, province=activity.province, level="commune",
                        field_days=1, visits=1, meeting_pct=0)
    body = api_as(activity.province_committee).get(API, {"month": LAST_MONTH.isoformat()}).json()
    assert {row["full_name"]: row["met"] for row in body["cadres"]} == {
        "Sân Tiến Phúc": True, "Lý Thị Mai": True, "Hoàng Văn Đức": False}


def test_in_a_running_month_only_those_below_the_pace_are_behind(world):
    month = dt.date(2030, 5, 1)
    report = queries.compliance_for(world.commune_a_leader, month, today=dt.date(2030, 5, 3))
    assert report.running
    assert report.cadres[0].result.behind == ()  # 3 days into May nothing is due yet
    late = queries.compliance_for(world.commune_a_leader, month, today=dt.date(2030, 5, 28))
    assert set(late.cadres[0].result.behind) == {"field_days", "visits"}


def test_six_months_of_compliance_end_with_the_chosen_month(activity):
    series = queries.compliance_series(activity.province_committee, LAST_MONTH, 6)
    assert [m for m, _ in series][-1] == LAST_MONTH and len(series) == 6
    assert (series[-1][1].cadres, series[-1][1].met) == (3, 1)
    assert series[0][1].met == 0


def test_compliance_is_a_handful_of_grouped_queries_whatever_the_number_of_cadres(activity,
                                                                                 django_assert_max_num_queries):
    from gandan.people.testing import make_cadre

    for i in range(30):
        make_cadre(activity.agency_a, f"Cán bộ {i}")
    with django_assert_max_num_queries(6):
        queries.compliance_for(activity.province_committee, LAST_MONTH)
