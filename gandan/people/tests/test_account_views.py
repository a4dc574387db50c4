from __future__ import annotations

import pytest

from gandan.core.models import AuditEvent
from gandan.people.models import Role, RoleGrant
from gandan.people.testing import make_cadre, make_user


def test_a_unit_admin_sees_the_grants_of_their_unit_only(world, client_as):
    response = client_as(world.commune_b_admin).get("/people/accounts/")
    assert response.status_code == 200
    users = {g.user.username for g in response.context["grants"]}
    assert users == {"commune_b_admin"}


@pytest.mark.parametrize("persona", ["commune_a_leader", "commune_a_viewer", "nobody"])
def test_people_who_administer_nothing_get_404(world, client_as, persona):
    assert client_as(getattr(world, persona)).get("/people/accounts/").status_code == 404


def test_a_unit_admin_grants_and_ends_a_role(world, client_as):
    colleague = make_user("chuhm", cadre=make_cadre(world.agency_b, "Hầu Mí Chứ"))
    client = client_as(world.commune_b_admin)
    response = client.post("/people/accounts/grant/", {"username": "chuhm", "role": Role.VIEWER,
                                                       "unit": world.village_b1.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=colleague)
    assert (grant.role, grant.unit, grant.cross_unit_reason) == (Role.VIEWER, world.village_b1, "")
    client.post(f"/people/accounts/grant/{grant.pk}/end/")
    grant.refresh_from_db()
    assert grant.valid_to is not None
    assert AuditEvent.objects.filter(action__in=["grant.add", "grant.end"], actor=world.commune_b_admin).count() == 2


def test_a_unit_admin_cannot_grant_or_end_outside_their_unit(world, client_as):
    client = client_as(world.commune_b_admin)
    response = client.post("/people/accounts/grant/", {"username": "nobody", "role": Role.LEADER,
                                                       "unit": world.commune_a.pk})
    assert response.status_code == 404
    other = RoleGrant.objects.get(user=world.commune_a_leader)
    assert client.post(f"/people/accounts/grant/{other.pk}/end/").status_code == 404
    other.refresh_from_db()
    assert other.valid_to is None and not RoleGrant.objects.filter(user=world.nobody).exists()


def test_an_unknown_username_is_reported_and_nothing_changes(world, client_as):
    client = client_as(world.commune_b_admin)
    response = client.post("/people/accounts/grant/", {"username": "khong-co", "role": Role.VIEWER,
                                                       "unit": world.commune_b.pk}, follow=True)
    assert "khong-co" in response.content.decode()
    assert RoleGrant.objects.count() == 7  # the personas' grants only


def test_a_refused_grant_keeps_what_was_typed_and_names_the_field(world, client_as):
    response = client_as(world.commune_b_admin).post("/people/accounts/grant/", {
        "username": "khong-co", "role": Role.LEADER, "unit": world.village_b1.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["Không có tài khoản “khong-co”."]
    page = response.content.decode()
    assert 'value="khong-co"' in page and f'<option value="{Role.LEADER}" selected>' in page
    assert f'<option value="{world.village_b1.pk}" selected>' in page
    assert RoleGrant.objects.count() == 7 and not AuditEvent.objects.filter(action="grant.add").exists()


@pytest.mark.parametrize(("field", "value"), [("role", "king"), ("unit", "xa")])
def test_a_grant_with_an_unknown_role_or_unit_is_refused(world, client_as, field, value):
    data = {"username": "nobody", "role": Role.VIEWER, "unit": world.commune_b.pk, field: value}
    response = client_as(world.commune_b_admin).post("/people/accounts/grant/", data)
    assert response.status_code == 400 and response.context["form"].has_error(field)
    assert not RoleGrant.objects.filter(user=world.nobody).exists()


@pytest.mark.parametrize("persona", ["commune_a_leader", "nobody"])
def test_people_who_administer_nothing_cannot_grant(world, client_as, persona):
    response = client_as(getattr(world, persona)).post("/people/accounts/grant/", {
        "username": "nobody", "role": Role.VIEWER, "unit": world.commune_a.pk})
    assert response.status_code == 404
    assert RoleGrant.objects.count() == 7


def test_granting_and_ending_are_post_only(world, client_as):
    client = client_as(world.commune_b_admin)
    grant = RoleGrant.objects.get(user=world.commune_b_admin)
    assert client.get("/people/accounts/grant/").status_code == 405
    assert client.get(f"/people/accounts/grant/{grant.pk}/end/").status_code == 405
    grant.refresh_from_db()
    assert grant.valid_to is None
