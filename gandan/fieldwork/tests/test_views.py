"""The field-work pages: home by role, capture form, service worker and manifest, list (filters, paging,
Excel), calendar, visit page and edit, compliance, meetings, month locks and settings — each with
its out-of-scope answer."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gandan.core.models import AuditEvent
from gandan.fieldwork.models import Attendance, ChecklistTopic, Meeting, MonthLock, Quota
from gandan.fieldwork.testing import make_visit
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db
MISSING_ID = 987654321  # no object has this id
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


@pytest.fixture
def province_admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("url", ["/fieldwork/", "/fieldwork/visits/new/", "/fieldwork/visits/", "/fieldwork/calendar/",
                                 "/fieldwork/compliance/", "/fieldwork/meetings/", "/fieldwork/locks/",
                                 "/fieldwork/settings/", "/fieldwork/visits/1/", "/fieldwork/photos/1/"])
def test_every_page_needs_a_login(world, url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# -- the cadre's pages ------------------------------------------------------------------------------
def test_a_cadre_home_has_the_big_button_and_this_months_quota(world, client_as):
    make_visit(world, date=timezone.localdate(), kind="field_day")
    page = html(client_as(world.commune_a_cadre).get("/fieldwork/"))
    assert 'data-testid="record-visit"' in page
    assert 'data-measure="field_days"' in page and 'data-measure="visits"' in page
    assert "pending-count" in page


def test_a_leader_home_shows_counts_that_link_to_the_rows(world, client_as):
    make_visit(world, date=timezone.localdate())
    page = html(client_as(world.commune_a_leader).get("/fieldwork/"))
    assert "record-visit" not in page
    assert "flagged=on" in page and "lần đi cơ sở tháng này" in page


def test_the_capture_form_carries_topics_kinds_and_its_texts_for_offline_use(world, client_as):
    ChecklistTopic.objects.create(province=world.province, code="water", name_vi="Nước sạch", position=1)
    page = html(client_as(world.commune_a_cadre).get("/fieldwork/visits/new/"))
    assert 'name="finding:water"' in page and "Nước sạch" in page
    assert 'name="finding:security"' not in page  # the province's own list replaces the defaults
    assert 'id="kind-field_day"' in page and 'capture="environment"' in page
    assert 'id="fw-text"' in page and f"/api/v1/fieldwork/places?u={world.commune_a_cadre.pk}" in page


def test_the_capture_form_explains_when_the_account_has_no_cadre(world, client_as):
    page = html(client_as(world.commune_a_leader).get("/fieldwork/visits/new/"))
    assert "chưa gắn với cán bộ" in page and "visit-form" not in page


def test_the_service_worker_is_served_for_the_whole_site_with_its_cache_list(world):
    response = Client().get("/fieldwork/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"  # the bottom bar's pages work offline too
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body and "/static/fieldwork/places.js" in body
    assert "/static/vendor/htmx/htmx.min.js" in body and "/static/fieldwork/queue.js" in body
    assert 'const PRECACHE_PAGES = ["/fieldwork/visits/new/", "/fieldwork/concerns/new/", "/fieldwork/"]' in body
    assert '"/fieldwork/offline/"' in body
    assert 'const OFFLINE_URL = "/fieldwork/offline/"' in body
    assert 'const PLACES_PREFIX = "/api/v1/fieldwork/places"' in body


def test_the_manifest_starts_the_installed_app_on_the_capture_form(world):
    response = Client().get("/fieldwork/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/fieldwork/visits/new/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512", "any"}
    for icon in data["icons"]:
        assert Client().get(icon["src"]).status_code == 200


# -- the list, calendar and visit page --------------------------------------------------------------
def test_the_list_filters_by_kind_and_person(world, client_as):
    make_visit(world, kind="field_day")
    make_visit(world, kind="household_visit", units=[], households=[world.household_a1])
    client = client_as(world.commune_a_leader)
    assert html(client.get("/fieldwork/visits/")).count('data-testid="visit-row"') == 2
    assert html(client.get("/fieldwork/visits/", {"kind": "field_day"})).count('data-testid="visit-row"') == 1
    assert html(client.get("/fieldwork/visits/", {"q": "san tien"})).count('data-testid="visit-row"') == 2
    assert html(client.get("/fieldwork/visits/", {"q": "ly thi mai"})).count('data-testid="visit-row"') == 0


def test_a_village_in_the_list_says_its_commune_and_a_commune_does_not(world, client_as):
    make_visit(world, units=[world.village_a1, world.commune_a])
    page = html(client_as(world.commune_a_leader).get("/fieldwork/visits/"))
    assert "Xã Nghĩa Thuận, Thôn Nậm Lìn (Xã Nghĩa Thuận)<" in page


def test_a_reversed_period_is_refused_inline_and_keeps_what_was_typed(world, client_as):
    page = html(client_as(world.commune_a_leader).get("/fieldwork/visits/", {
        "date_from": "2025-09-10", "date_to": "2025-09-01"}))
    assert "“Đến ngày” phải sau “Từ ngày”." in page and 'value="2025-09-10"' in page


def test_the_list_is_paged(world, client_as):
    for _ in range(52):
        make_visit(world)
    client = client_as(world.commune_a_leader)
    assert html(client.get("/fieldwork/visits/")).count('data-testid="visit-row"') == 50
    assert html(client.get("/fieldwork/visits/", {"page": 2})).count('data-testid="visit-row"') == 2


def test_the_excel_export_holds_the_filtered_rows(world, client_as):
    make_visit(world, kind="field_day", notes="Làm đường")
    make_visit(world, kind="other")
    response = client_as(world.commune_a_leader).get("/fieldwork/visits/", {"kind": "field_day", "export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã", "Ngày", "Cán bộ")
    assert len(rows) == 2
    assert rows[1][2] == "Sân Tiến Phúc" and rows[1][4] == "Ngày xuống thôn, bản"
    assert rows[1][5] == "Thôn Nậm Lìn (Xã Nghĩa Thuận)"
    assert rows[1][6] == "Làm đường"


@pytest.mark.any_day
def test_the_calendar_counts_visits_per_day_and_links_to_them(world, client_as):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    make_visit(world, date=yesterday)
    make_visit(world, date=yesterday)
    page = html(client_as(world.commune_a_leader).get("/fieldwork/calendar/", {"month": yesterday.strftime("%Y-%m")}))
    assert f"date_from={yesterday:%Y-%m-%d}&date_to={yesterday:%Y-%m-%d}\">2</a>" in page


@pytest.fixture
def new_years_morning():
    """Five minutes into 2027 in Hà Nội: "yesterday" is in the last month of the last year."""
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield


def test_on_the_first_of_a_month_the_calendar_opens_on_it_with_last_month_one_click_back(
        new_years_morning, world, client_as):
    """A calendar that jumped to the last month with visits would hide that this month has none yet
    and make "/fieldwork/calendar/" mean a different month from one day to the next."""
    make_visit(world, date=dt.date(2026, 12, 31))
    client = client_as(world.commune_a_leader)
    page = html(client.get("/fieldwork/calendar/"))
    assert 'data-testid="calendar-month">Tháng 01/2027<' in page
    assert 'data-testid="day-count"' not in page
    assert "month=2026-12" in page
    last_month = html(client.get("/fieldwork/calendar/", {"month": "2026-12"}))
    assert "date_from=2026-12-31&date_to=2026-12-31\">1</a>" in last_month


def test_the_visit_page_shows_findings_flags_and_history(world, client_as):
    world.village_a1.latitude, world.village_a1.longitude = 22.8, 105.0
    world.village_a1.save()
    visit = make_visit(world, findings={"security": "Ổn định"}, latitude=21.0, longitude=105.8)
    page = html(client_as(world.commune_a_viewer).get(f"/fieldwork/visits/{visit.pk}/"))
    assert "Tình hình an ninh, trật tự" in page and "Ổn định" in page
    assert 'data-flag="gps_far"' in page and "ghi lần đi cơ sở" in page
    assert f"/fieldwork/visits/{visit.pk}/edit/" not in page  # a viewer does not edit


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_visit_page_outside_the_scope_is_answered_as_missing(world, client_as, outsider):
    visit = make_visit(world)
    client = client_as(getattr(world, outsider))
    for url in (f"/fieldwork/visits/{visit.pk}/", f"/fieldwork/visits/{visit.pk}/edit/"):
        hidden, missing = client.get(url), client.get(url.replace(str(visit.pk), str(MISSING_ID)))
        assert hidden.status_code == missing.status_code == 404


def test_an_edit_through_the_form_is_audited(world, client_as):
    visit = make_visit(world, date=YESTERDAY)
    client = client_as(world.commune_a_cadre)
    assert "finding_security" in html(client.get(f"/fieldwork/visits/{visit.pk}/edit/"))
    response = client.post(f"/fieldwork/visits/{visit.pk}/edit/", {
        "date": YESTERDAY.isoformat(), "kind": "field_day", "notes": "Bổ sung", "finding_living": "Khá hơn"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.kind, visit.notes, visit.findings) == ("field_day", "Bổ sung", {"living": "Khá hơn"})
    assert AuditEvent.objects.filter(action="visit.update", object_id=str(visit.pk)).count() == 1
    assert "sửa (Loại, Tình hình theo chủ đề, Ghi chú)" in html(client.get(f"/fieldwork/visits/{visit.pk}/"))


def test_an_edit_with_a_future_date_is_refused_inline(world, client_as):
    visit = make_visit(world, date=YESTERDAY)
    future = timezone.localdate() + dt.timedelta(days=3)
    page = html(client_as(world.commune_a_cadre).post(f"/fieldwork/visits/{visit.pk}/edit/", {
        "date": future.isoformat(), "kind": "other", "notes": "Giữ nguyên chữ đã gõ"}))
    assert "Ngày chưa đến" in page and "Giữ nguyên chữ đã gõ" in page
    visit.refresh_from_db()
    assert visit.date == YESTERDAY


def test_a_viewer_may_not_open_the_edit_form(world, client_as):
    visit = make_visit(world)
    assert client_as(world.commune_a_viewer).get(f"/fieldwork/visits/{visit.pk}/edit/").status_code == 403


def test_an_edit_of_a_visit_in_a_locked_month_says_why(world, client_as):
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    visit = make_visit(world, date=day)
    MonthLock.objects.create(province=world.province, month=day.replace(day=1))
    page = html(client_as(world.commune_a_cadre).post(f"/fieldwork/visits/{visit.pk}/edit/", {
        "date": day.isoformat(), "kind": "other", "notes": "x"}))
    assert "đã khóa sổ" in page


# -- compliance -------------------------------------------------------------------------------------
def test_the_compliance_page_lists_who_is_behind_and_exports(world, client_as):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    client = client_as(world.province_committee)
    page = html(client.get("/fieldwork/compliance/", {"month": last_month.strftime("%Y-%m")}))
    assert page.count('data-testid="behind-row"') == 3
    assert "UBND xã Nghĩa Thuận" in page and "Sáu tháng gần đây" in page
    response = client.get("/fieldwork/compliance/", {"month": last_month.strftime("%Y-%m"), "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "Cán bộ"


def test_the_compliance_page_of_a_unit_outside_the_scope_is_not_found(world, client_as):
    assert client_as(world.commune_a_leader).get("/fieldwork/compliance/", {"unit": world.commune_b.pk}).status_code \
        == 404


# -- meetings ---------------------------------------------------------------------------------------
def test_a_leader_records_a_meeting_and_its_attendance_on_the_sheet(world, client_as):
    client = client_as(world.commune_a_leader)
    assert "Ghi cuộc họp" in html(client.get("/fieldwork/meetings/new/"))
    partial = html(client.get("/fieldwork/meetings/new/", {"unit": world.village_a1.pk}, HTTP_HX_REQUEST="true"))
    assert "Chi bộ thôn Nậm Lìn" in partial
    response = client.post("/fieldwork/meetings/new/", {
        "unit": world.village_a1.pk, "kind": "party_cell", "party_cell": world.party_cell_a.pk,
        "date": YESTERDAY.isoformat(), "title": "Sinh hoạt chi bộ tháng"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fieldwork/meetings/{meeting.pk}/"

    sheet = html(client.get(f"/fieldwork/meetings/{meeting.pk}/"))
    assert sheet.count('data-testid="attendance-row"') == 1
    client.post(f"/fieldwork/meetings/{meeting.pk}/", {f"status_{world.cadre_a.pk}": "present"})
    assert Attendance.objects.get().status == "present"


def test_a_party_cell_meeting_without_its_cell_is_refused_inline(world, client_as):
    page = html(client_as(world.commune_a_leader).post("/fieldwork/meetings/new/", {
        "unit": world.village_a1.pk, "kind": "party_cell", "date": YESTERDAY.isoformat(), "title": "Giữ chữ"}))
    assert "Hãy chọn chi bộ" in page and "Giữ chữ" in page
    assert not Meeting.objects.exists()


def test_a_cadre_marks_only_themself_on_the_sheet(world, client_as):
    meeting = Meeting.objects.create(province=world.province, unit=world.village_a1, kind="party_cell",
                                     party_cell=world.party_cell_a, date=YESTERDAY)
    client_as(world.commune_a_cadre).post(f"/fieldwork/meetings/{meeting.pk}/", {
        f"status_{world.cadre_a.pk}": "excused", f"status_{world.cadre_b.pk}": "absent"})
    assert list(Attendance.objects.values_list("cadre_id", "status")) == [(world.cadre_a.pk, "excused")]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_meeting_outside_the_scope_is_answered_as_missing(world, client_as, outsider):
    meeting = Meeting.objects.create(province=world.province, unit=world.village_a1, kind="committee", date=YESTERDAY)
    client = client_as(getattr(world, outsider))
    assert client.get(f"/fieldwork/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/fieldwork/meetings/{MISSING_ID}/").status_code == 404
    assert client.post(f"/fieldwork/meetings/{meeting.pk}/", {f"status_{world.cadre_a.pk}": "present"}).status_code \
        == 404
    assert not Attendance.objects.exists()


def test_a_viewer_cannot_open_the_meeting_form(world, client_as):
    assert client_as(world.commune_a_viewer).get("/fieldwork/meetings/new/").status_code == 403


# -- month locks and settings -----------------------------------------------------------------------
def test_locking_a_month_asks_to_confirm_and_says_what_happens(world, client_as, province_admin):
    client = client_as(province_admin)
    page = html(client.get("/fieldwork/locks/"))
    assert "không ai ghi hay sửa được" in page
    refused = html(client.post("/fieldwork/locks/", {"month": "2025-09"}))
    assert 'class="invalid-feedback d-block"' in refused  # the confirmation box was not ticked
    assert not MonthLock.objects.exists()

    response = client.post("/fieldwork/locks/", {"month": "2025-09", "confirm": "on"})
    assert response.status_code == 302
    assert MonthLock.objects.get().month == dt.date(2025, 9, 1)
    client.post("/fieldwork/locks/unlock/", {"month": "2025-09"})
    assert not MonthLock.objects.exists()


def test_only_a_province_administrator_locks_months(world, client_as):
    client = client_as(world.province_committee)
    assert "Khóa sổ tháng" in html(client.get("/fieldwork/locks/"))
    assert client.post("/fieldwork/locks/", {"month": "2025-09", "confirm": "on"}).status_code == 403
    assert not MonthLock.objects.exists()


def test_a_user_without_grants_has_no_lock_or_settings_page(world, client_as):
    client = client_as(world.nobody)
    assert client.get("/fieldwork/locks/").status_code == 404
    assert client.get("/fieldwork/settings/").status_code == 404


def test_the_committee_adds_a_topic_and_sets_a_quota(world, client_as):
    client = client_as(world.province_committee)
    assert "Tình hình an ninh, trật tự" in html(client.get("/fieldwork/settings/"))
    client.post("/fieldwork/settings/topics/", {"topic-name_vi": "Nước sạch", "topic-is_active": "on"})
    assert ChecklistTopic.objects.filter(province=world.province, code="nuoc-sach").exists()
    client.post("/fieldwork/settings/quotas/", {"quota-level": "commune", "quota-employment_type": "",
                                                "quota-field_days": 4, "quota-visits": 6, "quota-meeting_pct": 100})
    assert Quota.objects.get(province=world.province, level="commune").field_days_per_month == 4


def test_a_commune_leader_sees_the_settings_but_cannot_change_them(world, client_as):
    client = client_as(world.commune_a_leader)
    page = html(client.get("/fieldwork/settings/"))
    assert "Lưu chủ đề" not in page
    assert client.post("/fieldwork/settings/topics/", {"topic-name_vi": "X"}).status_code == 403
