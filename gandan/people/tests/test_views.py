from __future__ import annotations

import pytest


def test_a_leader_opens_a_cadre_with_personal_data(world, client_as):
    response = client_as(world.commune_a_leader).get(f"/cadres/{world.cadre_a.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sân Tiến Phúc" in body and "0912345678" in body and "Chi bộ thôn Nậm Lìn" in body


def test_a_viewer_sees_the_personal_phone_masked(world, client_as):
    body = client_as(world.commune_a_viewer).get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "0912345678" not in body and "0912•••678" in body


def test_a_cadre_sees_their_own_personal_data(world, client_as):
    body = client_as(world.commune_a_cadre).get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "0912345678" in body


@pytest.mark.parametrize("persona", ["commune_b_admin", "other_province_leader", "nobody"])
def test_a_cadre_outside_the_scope_answers_exactly_like_a_missing_one(world, client_as, persona):
    client = client_as(getattr(world, persona))
    forbidden = client.get(f"/cadres/{world.cadre_a.pk}/")
    missing = client.get("/cadres/999999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
