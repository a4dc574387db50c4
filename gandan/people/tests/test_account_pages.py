"""The administrator's account pages: cadres without an account, making one, a set-password link,
and a grant across units — each for an outsider exactly as for a missing object."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from gandan.core.models import AuditEvent
from gandan.people.models import Role, RoleGrant, User
from gandan.people.testing import assert_denied_like_missing, make_cadre, make_user

MISSING = 987654321


def test_the_cadres_without_an_account_are_those_of_the_administered_units(world, client_as):
    newcomer = make_cadre(world.agency_b, "Hầu Mí Chứ")
    make_cadre(world.agency_a, "Đỗ Thị Hoa")  # Xã Nghĩa Thuận: not administered by Quản Bạ's administrator
    response = client_as(world.commune_b_admin).get("/people/accounts/cadres/")
    assert response.status_code == 200
    assert [c.full_name for c in response.context["page"]] == [newcomer.full_name]  # Lý Thị Mai has an account
    assert f"/people/accounts/cadres/{newcomer.pk}/create/" in response.content.decode()


def test_the_list_is_searched_without_diacritics(world, client_as):
    make_cadre(world.agency_b, "Hầu Mí Chứ")
    make_cadre(world.agency_b, "Vàng Thị Sinh")
    response = client_as(world.commune_b_admin).get("/people/accounts/cadres/", {"q": "hau mi"})
    assert [c.full_name for c in response.context["page"]] == ["Hầu Mí Chứ"]


@pytest.mark.parametrize("persona", ["commune_a_leader", "province_committee", "nobody"])
def test_people_who_administer_nothing_see_no_list(world, client_as, persona):
    assert client_as(getattr(world, persona)).get("/people/accounts/cadres/").status_code == 404


def test_the_administrator_makes_an_account_and_sees_its_password_once(world, client_as):
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ")
    client = client_as(world.commune_b_admin)
    form = client.get(f"/people/accounts/cadres/{cadre.pk}/create/")
    assert form.context["form"]["username"].value() == "chuhm"
    response = client.post(f"/people/accounts/cadres/{cadre.pk}/create/", {"username": "chuhm"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="new-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(cadre=cadre)
    assert user.username == "chuhm" and user.check_password(password) and user.must_change_password
    assert AuditEvent.objects.filter(action="user.create", actor=world.commune_b_admin).count() == 1
    again = client.get(f"/people/accounts/cadres/{cadre.pk}/create/")
    assert password not in again.content.decode() and "chuhm" in again.content.decode()


def test_the_proposed_username_is_free(world, client_as):
    make_user("chuhm")
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ")
    form = client_as(world.commune_b_admin).get(f"/people/accounts/cadres/{cadre.pk}/create/")
    assert form.context["form"]["username"].value() == "chuhm2"


def test_a_taken_username_is_refused_with_what_was_typed_kept(world, client_as):
    cadre = make_cadre(world.agency_b, "Hầu Mí Chứ")
    response = client_as(world.commune_b_admin).post(f"/people/accounts/cadres/{cadre.pk}/create/",
                                                     {"username": "nobody"})
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [
        "Tên đăng nhập “nobody” đã có người dùng; hãy chọn tên khác."]
    assert 'value="nobody"' in response.content.decode() and not User.objects.filter(cadre=cadre).exists()


def test_a_cadre_of_another_commune_is_answered_as_missing(world, client_as, caplog):
    client = client_as(world.commune_b_admin)
    assert_denied_like_missing(client, caplog, world.commune_b_admin,
                               f"/people/accounts/cadres/{world.cadre_a.pk}/create/",
                               f"/people/accounts/cadres/{MISSING}/create/", kind="people.cadre",
                               object_id=world.cadre_a.pk)
    assert client.post(f"/people/accounts/cadres/{world.cadre_a.pk}/create/", {"username": "x-phuc"}).status_code == 404
    assert not User.objects.filter(username="x-phuc").exists()


@pytest.fixture
def colleague(world) -> User:
    return make_user("chuhm", role=Role.VIEWER, unit=world.village_b1, cadre=make_cadre(world.agency_b, "Hầu Mí Chứ"))


def _link(response):
    return re.search(r'data-testid="reset-link">http://testserver([^<]+)<', response.content.decode()).group(1)


def test_a_set_password_link_sets_the_password_once(world, client_as, colleague):
    page = client_as(world.commune_b_admin).get("/people/accounts/")
    assert f"/people/accounts/users/{colleague.pk}/reset/" in page.content.decode()
    response = client_as(world.commune_b_admin).post(f"/people/accounts/users/{colleague.pk}/reset/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    link = _link(response)

    visitor = Client()
    opened = visitor.get(link, follow=True)  # Django moves the token out of the address, into the session
    assert opened.status_code == 200 and opened.context["validlink"]
    done = visitor.post(opened.redirect_chain[-1][0], {"new_password1": "Lùng-Cúng-mùa-lúa-2026",
                                                       "new_password2": "Lùng-Cúng-mùa-lúa-2026"})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    colleague.refresh_from_db()
    assert colleague.check_password("Lùng-Cúng-mùa-lúa-2026") and not colleague.must_change_password
    assert list(AuditEvent.objects.filter(object_id=str(colleague.pk), action__startswith="user.password")
                .values_list("action", "actor_id")) == [("user.password_reset_link", world.commune_b_admin.pk),
                                                        ("user.password_set", colleague.pk)]
    assert not Client().get(link, follow=True).context["validlink"]  # used: dead


def test_a_weak_password_on_the_link_page_is_refused_in_vietnamese(world, client_as, colleague):
    link = _link(client_as(world.commune_b_admin).post(f"/people/accounts/users/{colleague.pk}/reset/"))
    visitor = Client()
    opened = visitor.get(link, follow=True)
    refused = visitor.post(opened.redirect_chain[-1][0],
                           {"new_password1": "12345678901", "new_password2": "12345678901"})
    assert refused.status_code == 200
    assert "Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái." in refused.content.decode()
    colleague.refresh_from_db()
    assert not colleague.check_password("12345678901")


def test_the_link_page_is_rate_limited_per_address(world, colleague):
    visitor = Client()
    answers = [visitor.get(f"/accounts/set-password/MQ/abc-{i}/").status_code for i in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429


def test_asking_for_links_is_rate_limited(world, client_as, colleague):
    client = client_as(world.commune_b_admin)
    for _ in range(30):
        assert client.post(f"/people/accounts/users/{colleague.pk}/reset/").status_code == 200
    assert client.post(f"/people/accounts/users/{colleague.pk}/reset/").status_code == 302
    assert AuditEvent.objects.filter(action="user.password_reset_link").count() == 30


@pytest.mark.parametrize("who", ["commune_a_cadre", "other_province_leader"])
def test_an_account_of_another_unit_cannot_be_reset_and_the_attempt_is_logged(world, client_as, caplog, who):
    target = getattr(world, who)
    caplog.set_level(logging.WARNING, logger="gandan.denials")
    client = client_as(world.commune_b_admin)
    hidden = client.post(f"/people/accounts/users/{target.pk}/reset/")
    missing = client.post(f"/people/accounts/users/{MISSING}/reset/")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    [denial] = [r for r in caplog.records if r.name == "gandan.denials"]
    assert (denial.kind, denial.object_id) == ("people.user", str(target.pk))
    assert not AuditEvent.objects.filter(action="user.password_reset_link").exists()


def test_an_account_reaching_beyond_the_administrators_units_has_no_reset(world, client_as, colleague):
    RoleGrant.objects.create(user=colleague, role=Role.COMMITTEE, unit=world.province)
    client = client_as(world.commune_b_admin)
    assert f"/people/accounts/users/{colleague.pk}/reset/" not in client.get("/people/accounts/").content.decode()
    assert client.post(f"/people/accounts/users/{colleague.pk}/reset/").status_code == 404


def test_asking_for_a_link_is_post_only(world, client_as, colleague):
    assert client_as(world.commune_b_admin).get(f"/people/accounts/users/{colleague.pk}/reset/").status_code == 405


# -- a grant across units ---------------------------------------------------------------------------
def test_a_grant_to_a_cadre_of_another_commune_asks_to_confirm_with_a_reason(world, client_as):
    client = client_as(world.commune_b_admin)
    data = {"username": "commune_a_cadre", "role": Role.LEADER, "unit": world.commune_b.pk}
    warned = client.post("/people/accounts/grant/", data)
    assert warned.status_code == 400 and warned.context["needs_confirmation"]
    assert 'name="confirm_cross_unit"' in warned.content.decode()
    no_reason = client.post("/people/accounts/grant/", {**data, "confirm_cross_unit": "1"})
    assert no_reason.context["form"].errors["cross_unit_reason"] == ["Hãy ghi lý do cấp quyền cho người ngoài đơn vị."]
    assert not RoleGrant.objects.filter(user=world.commune_a_cadre, unit=world.commune_b).exists()

    done = client.post("/people/accounts/grant/", {**data, "confirm_cross_unit": "1",
                                                   "cross_unit_reason": "Biệt phái theo QĐ 12/QĐ-UBND"})
    assert done.status_code == 302
    grant = RoleGrant.objects.get(user=world.commune_a_cadre, unit=world.commune_b)
    assert grant.cross_unit_reason == "Biệt phái theo QĐ 12/QĐ-UBND"
    event = AuditEvent.objects.get(action="grant.add", actor=world.commune_b_admin)
    assert event.after["cross_unit_reason"] == "Biệt phái theo QĐ 12/QĐ-UBND"


def test_a_reason_without_the_confirmation_is_not_enough(world, client_as):
    response = client_as(world.commune_b_admin).post("/people/accounts/grant/", {
        "username": "commune_a_cadre", "role": Role.LEADER, "unit": world.commune_b.pk, "cross_unit_reason": "x"})
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=world.commune_a_cadre, unit=world.commune_b).exists()
