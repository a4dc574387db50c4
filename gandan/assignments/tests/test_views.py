"""The HTML pages: index by role, my units, coverage with drill-down and multi-select, gap export,
proposal review and acceptance, list, one-by-one, end, transfer, rules, import — each refusing
outsiders with the 404 of a missing page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gandan.assignments.models import Assignment, AssignmentRule
from gandan.assignments.testing import make_assignment
from gandan.core.models import AuditEvent
from gandan.org.testing import make_household
from gandan.people.models import Role, RoleGrant
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
MISSING = 987654321
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


def url(name, *args):
    return reverse(name, args=args)


def assert_same_404(client, hidden_url, missing_url):
    hidden, missing = client.get(hidden_url), client.get(missing_url)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


@pytest.fixture
def admin_a(world):
    RoleGrant.objects.create(user=world.commune_a_leader, role=Role.UNIT_ADMIN, unit=world.commune_a)
    return world.commune_a_leader


# -- index and my units ---------------------------------------------------------------------------
def test_the_index_shows_a_cadre_their_units(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    page = client_as(world.commune_a_cadre).get(url("assignments-home")).content.decode()
    assert "Địa bàn của tôi" in page and "1 đơn vị, 0 hộ gia đình" in page


def test_the_index_shows_a_leader_the_coverage_of_their_scope(world, client_as):
    make_assignment(world.cadre_province, unit=world.commune_a)
    page = client_as(world.province_committee).get(url("assignments-home")).content.decode()
    assert "Tỉnh Tuyên Quang" in page and "1<span" in page  # 1 of 2 communes covered
    assert url("assignments-rules", world.province.pk) in page
    assert "Địa bàn của tôi" not in page  # no cadre record


def test_coverage_of_a_commune_with_drill_down_loads_and_gaps(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    response = client_as(world.commune_a_viewer).get(url("assignments-coverage", world.commune_a.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="covered-village">1<span' in page
    assert "Thôn Cốc Pảng" in page  # a gap
    assert "Sân Tiến Phúc" in page  # a follower with its load
    assert 'data-testid="bulk-assign"' not in page  # a viewer only looks


def test_coverage_gaps_page_by_htmx(world, client_as):
    response = client_as(world.commune_a_viewer).get(url("assignments-coverage", world.commune_a.pk),
                                                      {"gl": "household"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Vàng Seo Sử" in response.content.decode() and "<html" not in response.content.decode()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_coverage_outside_scope_is_missing(world, client_as, outsider):
    client = client_as(getattr(world, outsider))
    assert_same_404(client, url("assignments-coverage", world.commune_a.pk), url("assignments-coverage", MISSING))
    assert_same_404(client, url("assignments-gaps-export", world.commune_a.pk),
                    url("assignments-gaps-export", MISSING))
    assert_same_404(client, url("assignments-propose", world.commune_a.pk), url("assignments-propose", MISSING))


def test_the_gap_list_exports_to_xlsx(world, client_as):
    make_household(world.village_a2, "Hờ A Chứ")
    response = client_as(world.commune_a_viewer).get(url("assignments-gaps-export", world.commune_a.pk),
                                                      {"gl": "household"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Xã Nghĩa Thuận"
    assert [r[1] for r in rows[2:]] == ["Vàng Seo Sử", "Hờ A Chứ"] or [r[1] for r in rows[2:]] == [
        "Hờ A Chứ", "Vàng Seo Sử"]
    assert {r[2] for r in rows[2:]} == {"Thôn Nậm Lìn", "Thôn Cốc Pảng"}


def test_multi_select_assigns_every_ticked_gap(world, client_as, admin_a):
    h = make_household(world.village_a2, "Hờ A Chứ")
    response = client_as(admin_a).post(url("assignments-coverage-assign", world.commune_a.pk) + "?gl=household", {
        "target": [f"household:{world.household_a1.pk}", f"household:{h.pk}"],
        "cadre": world.cadre_a.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("household_id", flat=True)) == {world.household_a1.pk, h.pk}


def test_multi_select_keeps_the_ticks_and_says_why_when_refused(world, client_as, admin_a):
    make_assignment(world.cadre_a, household=world.household_a1)
    other = make_cadre(world.agency_a, "Lò Văn Hải")
    h = make_household(world.village_a2, "Hờ A Chứ")
    response = client_as(admin_a).post(url("assignments-coverage-assign", world.commune_a.pk) + "?gl=household", {
        "target": [f"household:{world.household_a1.pk}", f"household:{h.pk}"],
        "cadre": other.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "đã có người phụ trách chính" in page
    assert f'value="household:{h.pk}" aria-label="{h.code}" checked' in page
    assert Assignment.objects.count() == 1


def test_multi_select_is_refused_to_a_viewer(world, client_as):
    response = client_as(world.commune_a_viewer).post(url("assignments-coverage-assign", world.commune_a.pk) +
                                                      "?gl=village", {"target": [f"unit:{world.village_a2.pk}"],
                                                                      "cadre": world.cadre_a.pk})
    assert response.status_code == 403 and not Assignment.objects.exists()


# -- proposal -------------------------------------------------------------------------------------
@pytest.fixture
def commune_b_gaps(world):
    for i in range(3):
        make_household(world.village_b1, f"Hộ {i}")
    return [world.cadre_b, make_cadre(world.agency_b, "Sùng Mí Pó")]


def test_a_proposal_is_shown_with_a_select_per_gap(world, client_as, commune_b_gaps):
    response = client_as(world.commune_b_admin).get(url("assignments-propose", world.commune_b.pk),
                                                    {"level": "household"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<select class="form-select form-select-sm" name="pick-household-') == 4
    assert "tìm được người cho 4" in page
    assert not Assignment.objects.exists()


def test_accepting_an_edited_proposal(world, client_as, commune_b_gaps):
    client = client_as(world.commune_b_admin)
    households = list(world.village_b1.households.order_by("pk"))
    data = {f"pick-household-{h.pk}": commune_b_gaps[1].pk for h in households}
    data[f"pick-household-{households[0].pk}"] = ""  # left empty by the user
    response = client.post(url("assignments-propose", world.commune_b.pk) + "?level=household", data)
    assert response.status_code == 302
    assert Assignment.objects.filter(cadre=commune_b_gaps[1], role="primary").count() == 3
    assert AuditEvent.objects.filter(action="assignment.proposal_accept").count() == 1


def test_a_refused_proposal_keeps_the_choices(world, client_as, commune_b_gaps):
    client = client_as(world.commune_b_admin)
    households = list(world.village_b1.households.order_by("pk"))
    outsider = make_cadre(world.agency_b, "Thào Mí Say")
    outsider.left_on = dt.date(2025, 1, 1)
    outsider.save()
    data = {f"pick-household-{h.pk}": commune_b_gaps[0].pk for h in households}
    data[f"pick-household-{households[1].pk}"] = outsider.pk  # not offered: someone who left
    response = client.post(url("assignments-propose", world.commune_b.pk) + "?level=household", data)
    assert response.status_code == 400
    assert not Assignment.objects.exists()
    assert f'<option value="{commune_b_gaps[0].pk}" selected>' in response.content.decode()


def test_a_viewer_gets_no_proposal(world, client_as):
    assert client_as(world.commune_a_viewer).get(url("assignments-propose", world.commune_a.pk)).status_code == 403


# -- list, one by one, end, transfer --------------------------------------------------------------
def test_the_list_shows_history_on_request(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1, end=dt.date(2025, 9, 1))
    client = client_as(world.commune_a_viewer)
    assert "Thôn Nậm Lìn" not in client.get(url("assignments-list"), {"unit": world.commune_a.pk}).content.decode()
    assert "Thôn Nậm Lìn" in client.get(url("assignments-list"), {"unit": world.commune_a.pk,
                                                                   "state": "all"}).content.decode()


def test_a_village_in_the_list_says_its_commune(world, client_as):
    make_assignment(world.cadre_a, unit=world.village_a1)
    page = client_as(world.commune_a_viewer).get(url("assignments-list")).content.decode()
    assert 'Thôn Nậm Lìn</a> <span class="small text-muted">· Xã Nghĩa Thuận</span>' in page


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_the_list_of_a_unit_outside_scope_is_missing(world, client_as, outsider):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    client = client_as(getattr(world, outsider))
    assert_same_404(client, url("assignments-list") + f"?unit={world.commune_a.pk}",
                    url("assignments-list") + f"?unit={MISSING}")
    assert world.cadre_a.full_name not in client.get(url("assignments-list")).content.decode()
    assert_same_404(client, url("assignments-transfer", a.pk), url("assignments-transfer", MISSING))
    assert_same_404(client, url("assignments-new") + f"?unit={world.village_a1.pk}",
                    url("assignments-new") + f"?unit={MISSING}")
    assert_same_404(client, url("assignments-new") + f"?household={world.household_a1.pk}",
                    url("assignments-new") + f"?household={MISSING}")
    hidden = client.post(url("assignments-end", a.pk), {"on": "2026-02-01"})
    missing = client.post(url("assignments-end", MISSING), {"on": "2026-02-01"})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    hidden = client.post(url("assignments-coverage-assign", world.commune_a.pk), {"target": f"unit:{a.unit_id}"})
    missing = client.post(url("assignments-coverage-assign", MISSING), {"target": f"unit:{a.unit_id}"})
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    a.refresh_from_db()
    assert a.end is None and Assignment.objects.count() == 1


def test_one_by_one_assignment_form(world, client_as):
    client = client_as(world.commune_a_leader)
    page = client.get(url("assignments-new"), {"unit": world.village_a1.pk}).content.decode()
    assert "Sân Tiến Phúc" in page and "Lý Thị Mai" not in page  # only cadres the rules allow there
    response = client.post(url("assignments-new") + f"?unit={world.village_a1.pk}", {
        "cadre": world.cadre_a.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 302
    assert Assignment.objects.get().unit == world.village_a1


def test_one_by_one_refused_keeps_what_was_typed(world, client_as):
    make_assignment(make_cadre(world.agency_a, "Lò Văn Hải"), unit=world.village_a1)
    response = client_as(world.commune_a_leader).post(url("assignments-new") + f"?unit={world.village_a1.pk}", {
        "cadre": world.cadre_a.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "đã có người phụ trách chính" in page and 'value="2026-01-05"' in page


def test_ending_from_the_list(world, client_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    response = client_as(world.commune_a_leader).post(url("assignments-end", a.pk), {"on": "2026-02-01"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.end == dt.date(2026, 2, 1)


def test_a_viewer_cannot_end(world, client_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    assert client_as(world.commune_a_viewer).post(url("assignments-end", a.pk), {"on": "2026-02-01"}).status_code \
        == 403
    a.refresh_from_db()
    assert a.end is None


def test_transfer(world, client_as):
    other = make_cadre(world.agency_a, "Lò Văn Hải")
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    response = client_as(world.commune_a_leader).post(url("assignments-transfer", a.pk),
                                                      {"cadre": other.pk, "on": "2026-02-01"})
    assert response.status_code == 302
    assert Assignment.objects.active(dt.date(2026, 2, 1)).get(unit=world.village_a1).cadre == other


# -- rules ----------------------------------------------------------------------------------------
def test_rules_page_prefills_the_default(world, client_as):
    page = client_as(world.province_committee).get(url("assignments-rules", world.province.pk)).content.decode()
    assert 'data-testid="default-rules"' in page
    assert 'name="commune-household-on" id="id_commune-household-on" checked' in page
    assert 'id="id_province-village-on" checked' not in page and 'id="id_province-village-on"' in page


def test_a_province_admin_saves_rules(world, client_as):
    RoleGrant.objects.create(user=world.province_committee, role=Role.UNIT_ADMIN, unit=world.province)
    response = client_as(world.province_committee).post(url("assignments-rules", world.province.pk), {
        "province-commune-on": "on", "province-commune-primary": "on", "province-commune-cap": "3",
        "district-village-on": "on", "district-village-primary": "on", "district-village-supporting": "on"})
    assert response.status_code == 302
    assert set(AssignmentRule.objects.values_list("agency_level", "target_level", "supporting_allowed",
                                                  "load_cap")) == {("province", "commune", False, 3),
                                                                   ("district", "village", True, None)}


def test_rules_need_an_admin_of_the_province(world, client_as):
    response = client_as(world.province_committee).post(url("assignments-rules", world.province.pk), {
        "province-commune-on": "on"})
    assert response.status_code == 403 and not AssignmentRule.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_rules_outside_scope_are_missing(world, client_as, outsider):
    assert_same_404(client_as(getattr(world, outsider)), url("assignments-rules", world.province.pk),
                    url("assignments-rules", MISSING))


# -- import ---------------------------------------------------------------------------------------
def _xlsx(*rows):
    book = Workbook()
    book.active.append(["ma_can_bo", "ma_dia_ban", "ma_ho", "vai_tro", "ngay_bat_dau"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "phan-cong.xlsx"
    return out


def test_import_page_lists_every_error_then_imports(world, client_as):
    client = client_as(world.commune_a_leader)
    bad = client.post(url("assignments-import"),
                      {"file": _xlsx(("KHONG", world.village_a1.code, "", "", "01/08/2025"))})
    assert bad.status_code == 400 and "KHONG" in bad.content.decode() and not Assignment.objects.exists()
    good = client.post(url("assignments-import"), {"file": _xlsx((world.cadre_a.code, world.village_a1.code, "",
                                                                   "chính", "01/08/2025"))})
    assert good.status_code == 302 and Assignment.objects.count() == 1


def test_the_import_template_downloads(world, client_as):
    response = client_as(world.commune_a_viewer).get(url("assignments-import-template"))
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "ma_can_bo"


def test_a_viewer_cannot_import(world, client_as):
    response = client_as(world.commune_a_viewer).post(url("assignments-import"), {"file": _xlsx()})
    assert response.status_code == 403
