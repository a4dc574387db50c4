"""The home app: capabilities agree with the services, each role's first page lists its work with
links to the rows, "me" is the cadre's own page, histories name people, the favicon answers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gandan.assignments.queries import ASSIGN_ROLES
from gandan.assignments.testing import make_assignment
from gandan.fieldwork.services import RECORD_ROLES
from gandan.fieldwork.setting_services import SETTINGS_ROLES as FIELDWORK_SETTINGS
from gandan.fieldwork.testing import make_visit
from gandan.home.views import first_url
from gandan.people import capabilities as caps
from gandan.people.capabilities import capabilities
from gandan.petitions import services as petition_services
from gandan.petitions.access import HANDLER_ROLES
from gandan.petitions.config_services import EDIT_ROLES
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # a Wednesday


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_capabilities_ask_the_same_roles_as_the_services():
    assert caps.RECORD_ROLES == RECORD_ROLES
    assert caps.CONCERN_ROLES == HANDLER_ROLES
    assert caps.ASSIGN_ROLES == ASSIGN_ROLES
    assert caps.SETTINGS_ROLES == FIELDWORK_SETTINGS == EDIT_ROLES


def test_each_persona_can_what_its_grants_allow(world):
    viewer = capabilities(world.commune_a_viewer)
    assert viewer.read_only and viewer.has_scope and not (viewer.record_visit or viewer.record_meeting
                                                          or viewer.record_concern or viewer.import_data)
    cadre = capabilities(world.commune_a_cadre)
    assert cadre.record_visit and cadre.record_concern and not (cadre.assign or cadre.configure_province)
    leader = capabilities(world.commune_a_leader)
    assert leader.assign and leader.record_meeting and not leader.record_visit  # no cadre behind the account
    admin = capabilities(world.commune_b_admin)
    assert admin.import_data and admin.manage_accounts and not admin.lock_months  # a commune, not the province
    committee = capabilities(world.province_committee)
    assert committee.configure_province and not committee.lock_months
    assert capabilities(world.department_handler).handle_department
    assert capabilities(world.nobody) == caps.Capabilities()


def test_a_menu_offers_only_what_the_role_can_use(world, client_as):
    viewer = html(client_as(world.commune_a_viewer).get("/"))
    assert "/imports/" not in viewer and "/people/accounts/" not in viewer and "/api/v1/docs" not in viewer
    assert 'href="/me/"' in viewer and "/me/tokens/" not in viewer
    admin = html(client_as(world.commune_b_admin).get("/"))
    assert 'href="/imports/"' in admin and 'href="/people/accounts/"' in admin
    nobody = html(client_as(world.nobody).get("/"))
    assert 'href="/fieldwork/"' not in nobody and "chưa được phân quyền" in nobody


def test_the_cadre_home_lists_the_week_the_concerns_held_and_the_next_meetings(world, client_as):
    with time_machine.travel(NOON, tick=False):
        make_assignment(world.cadre_a, unit=world.village_a1)
        petition = receive(world)
        petition_services.petition_accept(actor=world.commune_a_cadre, petition=petition)
        page = html(client_as(world.commune_a_cadre).get("/"))
    assert 'data-testid="block-week"' in page and 'data-testid="block-my-meetings"' in page
    assert f'href="/petitions/{petition.pk}/"' in page and petition.code in page
    assert "trước Chủ nhật 22/11" in page  # the quota's share due by the end of this week


def test_the_leader_home_lists_concerns_waiting_for_acceptance_and_the_coverage_gaps(world, client_as):
    with time_machine.travel(NOON, tick=False):
        petition = receive(world, unit=world.commune_a)
        page = html(client_as(world.commune_a_leader).get("/"))
    assert 'data-testid="block-awaiting"' in page and f'href="/petitions/{petition.pk}/"' in page
    assert f'href="/assignments/coverage/{world.commune_a.pk}/?gl=village"' in page
    assert 'data-testid="block-behind"' in page


def test_the_committee_sees_the_province_at_a_glance_with_links_down(world, client_as):
    page = html(client_as(world.province_committee).get("/"))
    for key in ("coverage", "fieldwork", "concerns", "ranking"):
        assert f'data-testid="block-{key}"' in page
    assert 'href="/petitions/list/?overdue=1"' in page and 'href="/fieldwork/compliance/"' in page


def test_the_department_home_is_its_inbox(world, client_as):
    page = html(client_as(world.department_handler).get("/"))
    assert 'data-testid="block-department"' in page and 'href="/petitions/?box=department"' in page


def test_the_commune_page_shows_its_concerns_visits_and_coverage(world, client_as):
    make_visit(world)
    receive(world)
    page = html(client_as(world.commune_a_leader).get(f"/units/{world.commune_a.pk}/"))
    assert 'data-testid="unit-work"' in page and "Thôn Nậm Lìn" in page  # the tree is still there
    assert f'href="/petitions/list/?unit={world.commune_a.pk}"' in page
    assert f"/fieldwork/visits/?unit={world.commune_a.pk}" in page
    assert f'href="/assignments/coverage/{world.commune_a.pk}/"' in page


def test_me_is_the_cadres_own_page_with_the_month_the_concerns_and_the_keys(world, client_as):
    make_visit(world)
    page = html(client_as(world.commune_a_cadre).get("/me/"))
    assert "Sân Tiến Phúc" in page and 'data-testid="block-my-month"' in page
    assert 'data-testid="block-my-concerns"' in page and 'href="/me/tokens/"' in page
    assert ('data-testid="password-link"' in page) == bool(first_url(("password-change", "password_change")))
    assert ('data-testid="block-my-plan"' in page) == bool(first_url(("plans-mine", "plans-home", "plans")))


def test_a_link_to_another_module_is_left_out_while_its_url_does_not_exist():
    assert first_url(("no-such-page", "home")) == "/"
    assert first_url(("no-such-page",)) == ""


def test_histories_name_the_cadre_not_the_login(world, client_as):
    visit = make_visit(world)
    petition = receive(world)
    leader = client_as(world.commune_a_leader)
    for url in (f"/fieldwork/visits/{visit.pk}/", f"/petitions/{petition.pk}/"):
        page = html(leader.get(url))
        history = page.split("timeline", 1)[-1] if "timeline" in page else page
        assert "Sân Tiến Phúc" in history and "commune_a_cadre" not in page
    assert world.commune_a_cadre.display_name == "Sân Tiến Phúc"
    assert world.nobody.display_name == "nobody"


def test_the_favicon_answers_on_every_page(world, client_as):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("gandan/favicon.svg")
    assert 'rel="icon"' in html(client_as(world.commune_a_cadre).get("/"))
    assert 'rel="icon"' in Client().get("/no-such-page/").content.decode()


def test_the_home_page_reads_today_in_vietnam(world, client_as):
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        assert timezone.localdate() == dt.date(2026, 12, 31)
        page = html(client_as(world.commune_a_cadre).get("/"))
    assert "31/12/2026" in page
