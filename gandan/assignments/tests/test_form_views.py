"""The assignment pages' writes through their forms: the multi-select on the coverage page, the
proposal's picks, one-by-one assignment and ending one. Input the form refuses comes back with its
error and changes nothing; the target comes from the page's address and is looked up in the scope;
ending never sends the user to another site; POST-only views refuse a GET."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gandan.assignments.models import Assignment
from gandan.assignments.testing import make_assignment
from gandan.core.models import AuditEvent
from gandan.org.testing import make_household
from gandan.people.models import Role, RoleGrant
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
MISSING = 987654321


def url(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def admin_a(world):
    RoleGrant.objects.create(user=world.commune_a_leader, role=Role.UNIT_ADMIN, unit=world.commune_a)
    return world.commune_a_leader


def written() -> tuple[int, int]:
    return Assignment.objects.count(), AuditEvent.objects.filter(action__startswith="assignment").count()


# -- multi-select ---------------------------------------------------------------------------------
def test_multi_select_without_a_tick_says_so_and_keeps_the_choices(world, client_as, admin_a):
    before = written()
    response = client_as(admin_a).post(url("assignments-coverage-assign", world.commune_a.pk) + "?gl=village", {
        "cadre": world.cadre_a.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 400
    assert response.context["assign_form"].has_error("target")
    page = response.content.decode()
    assert "Hãy đánh dấu ít nhất một địa bàn trong danh sách." in page and 'value="2026-01-05"' in page
    assert written() == before


@pytest.mark.parametrize("target", ["unit:abc", "village:12", "12"])
def test_multi_select_with_a_forged_tick_is_refused(world, client_as, admin_a, target):
    before = written()
    response = client_as(admin_a).post(url("assignments-coverage-assign", world.commune_a.pk) + "?gl=village", {
        "target": [f"unit:{world.village_a2.pk}", target], "cadre": world.cadre_a.pk, "role": "primary",
        "start": "2026-01-05"})
    assert response.status_code == 400 and response.context["assign_form"].has_error("target")
    assert written() == before


def test_multi_select_of_a_unit_outside_the_commune_assigns_nothing(world, client_as, admin_a):
    before = written()
    response = client_as(admin_a).post(url("assignments-coverage-assign", world.commune_a.pk) + "?gl=village", {
        "target": [f"unit:{world.village_b1.pk}"], "cadre": world.cadre_a.pk, "role": "primary",
        "start": "2026-01-05"})
    assert response.status_code == 400
    assert written() == before


def test_multi_select_is_post_only(world, client_as, admin_a):
    assert client_as(admin_a).get(url("assignments-coverage-assign", world.commune_a.pk)).status_code == 405


# -- the proposal's picks -------------------------------------------------------------------------
def test_a_pick_that_is_not_a_cadre_id_names_its_row_and_writes_nothing(world, client_as):
    for i in range(2):
        make_household(world.village_b1, f"Hộ {i}")
    households = list(world.village_b1.households.order_by("pk"))
    data = {f"pick-household-{h.pk}": world.cadre_b.pk for h in households}
    data[f"pick-household-{households[1].pk}"] = "Lý Thị Mai"
    before = written()
    response = client_as(world.commune_b_admin).post(url("assignments-propose", world.commune_b.pk) +
                                                     "?level=household", data)
    assert response.status_code == 400
    assert [e.line for e in response.context["errors"]] == [2]
    assert f'<option value="{world.cadre_b.pk}" selected>' in response.content.decode()  # the other rows' picks
    assert written() == before


def test_the_proposal_level_comes_from_the_address(world, client_as):
    make_household(world.village_b1, "Hộ 1")
    response = client_as(world.commune_b_admin).get(url("assignments-propose", world.commune_b.pk),
                                                    {"level": "household"})
    assert 'action="?level=household"' in response.content.decode()


# -- one by one -----------------------------------------------------------------------------------
def test_one_by_one_posts_to_the_address_of_its_target(world, client_as):
    page = client_as(world.commune_a_leader).get(url("assignments-new"), {"household": world.household_a1.pk})
    assert f'action="?household={world.household_a1.pk}"' in page.content.decode()


@pytest.mark.parametrize("query", ["unit={b}", "household={hb}", "unit=" + str(MISSING), ""])
def test_one_by_one_outside_the_scope_or_without_a_target_is_missing(world, client_as, query):
    query = query.format(b=world.village_b1.pk, hb=world.household_b1.pk)
    before = written()
    response = client_as(world.commune_a_leader).post(url("assignments-new") + f"?{query}", {
        "unit": world.village_a1.pk, "cadre": world.cadre_a.pk, "role": "primary", "start": "2026-01-05"})
    assert response.status_code == 404
    assert written() == before  # a target in the body is not read: the page's address names it


# -- ending ---------------------------------------------------------------------------------------
def test_ending_goes_back_to_the_list_the_user_came_from(world, client_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    back = url("assignments-list") + f"?unit={world.commune_a.pk}&state=all"
    response = client_as(world.commune_a_leader).post(url("assignments-end", a.pk), {"on": "2026-02-01",
                                                                                    "next": back})
    assert response.status_code == 302 and response["Location"] == back
    a.refresh_from_db()
    assert a.end == dt.date(2026, 2, 1)


@pytest.mark.parametrize("back", ["https://lua-dao.example/", "//lua-dao.example/", "javascript:alert(1)"])
def test_ending_never_sends_the_user_to_another_site(world, client_as, back):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    response = client_as(world.commune_a_leader).post(url("assignments-end", a.pk), {"on": "2026-02-01",
                                                                                    "next": back})
    assert response.status_code == 302
    assert response["Location"] == url("assignments-list") + f"?unit={world.village_a1.pk}"


def test_ending_on_a_date_that_is_not_one_changes_nothing(world, client_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    response = client_as(world.commune_a_leader).post(url("assignments-end", a.pk), {"on": "hôm qua"}, follow=True)
    assert "Ngày kết thúc không hợp lệ." in response.content.decode()
    a.refresh_from_db()
    assert a.end is None


def test_ending_is_post_only(world, client_as):
    a = make_assignment(world.cadre_a, unit=world.village_a1)
    assert client_as(world.commune_a_leader).get(url("assignments-end", a.pk)).status_code == 405
    a.refresh_from_db()
    assert a.end is None


def test_another_cadre_can_be_proposed_only_among_those_offered(world, client_as):
    """The service still decides who may be picked: a cadre who left is refused by row."""
    make_household(world.village_b1, "Hộ 1")
    gone = make_cadre(world.agency_b, "Thào Mí Say")
    gone.left_on = dt.date(2025, 1, 1)
    gone.save()
    household = world.village_b1.households.order_by("pk").first()
    before = written()
    response = client_as(world.commune_b_admin).post(url("assignments-propose", world.commune_b.pk) +
                                                     "?level=household", {f"pick-household-{household.pk}": gone.pk})
    assert response.status_code == 400 and response.context["errors"]
    assert written() == before


# -- the proposal's options (drawn by a template) -------------------------------------------------
def test_each_row_offers_the_cadres_by_agency_with_the_proposed_one_selected(world, client_as):
    make_household(world.village_b1, "Hộ 1")
    odd = make_cadre(world.agency_b, "Lò <b>Văn</b> & Hải")
    response = client_as(world.commune_b_admin).get(url("assignments-propose", world.commune_b.pk),
                                                    {"level": "household"})
    page = response.content.decode()
    rows = response.context["proposal"].rows
    assert len(rows) == 2 and all(row.groups is rows[0].groups for row in rows)  # one list for equal choices
    assert '<optgroup label="UBND xã Quản Bạ">' in page
    assert "Lò &lt;b&gt;Văn&lt;/b&gt; &amp; Hải · 0" in page and "<b>Văn</b>" not in page
    for row in rows:
        assert f'<option value="{row.cadre_id}" selected>' in page
    assert page.count(f'<option value="{odd.pk}"') == 2


@pytest.mark.parametrize(("language", "error"), [
    ("vi", "{cadre} đã theo dõi {target} trong thời gian này"),
    ("en", "{cadre} already follows {target} in this period"),
])
def test_a_refused_assignment_says_why_in_the_users_language_only(world, client_as, settings, language, error):
    make_assignment(world.cadre_a, unit=world.village_a1, start=dt.date(2025, 1, 1))
    client = client_as(world.commune_a_leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url("assignments-new") + f"?unit={world.village_a1.pk}", {
        "cadre": world.cadre_a.pk, "role": "supporting", "start": "2026-01-05"})
    assert response.status_code == 400
    assert error.format(cadre=world.cadre_a.code, target=world.village_a1.name) in response.content.decode()
