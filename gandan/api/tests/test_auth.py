"""Who may call the API: a logged-in session (with CSRF for writes) or a live personal token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized
from gandan.core.models import ApiKey
from gandan.people.tokens import token_create, token_lookup, token_revoke

pytestmark = pytest.mark.django_db
UNIT = "/api/v1/units/{}"


def with_key(key: str) -> Client:
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_bearer_token_reads_like_its_owner(world):
    _token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    response = with_key(key).get(UNIT.format(world.commune_a.pk))
    assert response.status_code == 200
    assert response.json()["name"] == "Xã Nghĩa Thuận"


def test_a_bearer_token_keeps_its_owners_scope(world, bearer):
    client = bearer(world.other_province_leader)
    assert_hidden(client, UNIT.format(world.commune_a.pk), UNIT.format(MISSING_ID))


def test_a_revoked_token_is_refused(world):
    token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    token_revoke(actor=world.commune_a_leader, token=token)
    assert_unauthorized(with_key(key).get(UNIT.format(world.commune_a.pk)))


def test_an_unknown_or_malformed_token_is_refused(world):
    _token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    for wrong in [key[:-1] + ("A" if key[-1] != "A" else "B"), "gd_", "not-a-token", key.removeprefix("gd_")]:
        assert_unauthorized(with_key(wrong).get(UNIT.format(world.commune_a.pk)))


def test_the_token_of_a_deactivated_user_is_refused(world):
    _token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    world.commune_a_leader.is_active = False
    world.commune_a_leader.save()
    assert_unauthorized(with_key(key).get(UNIT.format(world.commune_a.pk)))


def test_no_credentials_get_401_json_with_a_bearer_challenge(world):
    response = Client().get(UNIT.format(world.commune_a.pk))
    assert_unauthorized(response)
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bearer_write_needs_no_csrf_token(world):
    token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    assert with_key(key).delete(f"/api/v1/tokens/{token.pk}").status_code == 204


def test_a_session_write_without_csrf_token_is_refused(world):
    token, _key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.commune_a_leader)

    response = client.delete(f"/api/v1/tokens/{token.pk}")

    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_session_read_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.commune_a_viewer)
    assert client.get(UNIT.format(world.commune_a.pk)).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(world):
    token, key = token_create(actor=world.commune_a_leader, name="Điện thoại")
    assert token.last_used_at is None

    token_lookup(key)
    first = ApiKey.objects.get(pk=token.pk).last_used_at
    token_lookup(key)
    assert ApiKey.objects.get(pk=token.pk).last_used_at == first

    ApiKey.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    with_key(key).get(UNIT.format(world.commune_a.pk))
    assert ApiKey.objects.get(pk=token.pk).last_used_at > first
