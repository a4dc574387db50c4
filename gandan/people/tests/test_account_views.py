from __future__ import annotations

import pytest

from gandan.core.models import AuditEvent
from gandan.people.models import Role, RoleGrant


def test_a_unit_admin_sees_the_grants_of_their_unit_only(world, client_as):
    response = client_as(world.commune_b_admin).get("/people/accounts/")
    assert response.status_code == 200
    users = {g.user.username for g in response.context["grants"]}
    assert users == {"commune_b_admin"}


@pytest.mark.parametrize("persona", ["commune_a_leader", "commune_a_viewer", "nobody"])
def test_people_who_administer_nothing_get_404(world, client_as, persona):
    assert client_as(getattr(world, persona)).get("/people/accounts/").status_code == 404


def test_a_unit_admin_grants_and_ends_a_role(world, client_as):
    client = client_as(world.commune_b_admin)
    response = client.post("/people/accounts/grant/", {"username": "nobody", "role": Role.VIEWER,
                                                       "unit": world.village_b1.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=world.nobody)
    assert (grant.role, grant.unit) == (Role.VIEWER, world.village_b1)
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
