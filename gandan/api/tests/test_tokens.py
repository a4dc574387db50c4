"""/api/v1/tokens: my tokens — list, create (key shown once, only its hash stored), revoke."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from gandan.api.tests.helpers import MISSING_ID, assert_unauthorized
from gandan.core.models import ApiKey, AuditEvent
from gandan.people.tokens import token_create

pytestmark = pytest.mark.django_db
API = "/api/v1/tokens"


def csrf_client(user) -> tuple[Client, str]:
    """A browser-like client that enforces CSRF, logged in, holding its CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/me/tokens/")
    return client, client.cookies["csrftoken"].value


def test_list_shows_only_my_tokens(world, api_as):
    mine, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")
    token_create(actor=world.commune_b_admin, name="Máy tính bảng")

    response = api_as(world.commune_a_leader).get(API)

    assert response.status_code == 200
    rows = [(row["id"], row["name"], row["is_active"]) for row in response.json()]
    assert rows == [(mine.pk, "Điện thoại", True)]
    assert "key" not in response.json()[0]
    assert "key_hash" not in response.json()[0]


def test_list_needs_a_caller(world):
    assert_unauthorized(Client().get(API))


def test_create_shows_the_key_once_and_stores_only_its_hash(world, api_as):
    client = api_as(world.commune_a_viewer)

    response = client.post(API, {"name": "Điện thoại Android"}, content_type="application/json")

    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("gd_") and len(key) > 40
    token = ApiKey.objects.get(pk=response.json()["id"])
    assert token.user == world.commune_a_viewer
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key)
    stored = [str(value) for value in ApiKey.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored
    assert key not in client.get(API).content.decode()


def test_create_is_audited_without_the_key(world, api_as):
    client = api_as(world.commune_a_viewer)
    response = client.post(API, {"name": "Điện thoại"}, content_type="application/json")
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == world.commune_a_viewer
    assert event.object_id == str(response.json()["id"])
    assert event.after["name"] == "Điện thoại"
    assert response.json()["key"] not in str(event.after)


def test_create_without_a_name_is_refused_and_creates_nothing(world, api_as):
    client = api_as(world.commune_a_viewer)
    assert client.post(API, {"name": ""}, content_type="application/json").status_code == 422
    assert client.post(API, {"name": "   "}, content_type="application/json").status_code == 422
    assert not ApiKey.objects.exists()


def test_create_needs_a_caller(world):
    assert_unauthorized(Client().post(API, {"name": "x"}, content_type="application/json"))


def test_session_post_without_csrf_token_is_refused(world):
    client, _csrf = csrf_client(world.commune_a_leader)
    response = client.post(API, {"name": "Điện thoại"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_session_post_with_csrf_token_creates_the_token(world):
    client, csrf = csrf_client(world.commune_a_leader)
    response = client.post(API, {"name": "Điện thoại"}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201
    assert ApiKey.objects.filter(user=world.commune_a_leader).count() == 1


def test_a_token_cannot_create_another_token(world, bearer):
    response = bearer(world.commune_a_leader).post(API, {"name": "thêm"}, content_type="application/json")
    assert response.status_code == 403
    assert ApiKey.objects.count() == 1


def test_revoke_my_token(world, api_as):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")

    response = api_as(world.commune_a_leader).delete(f"{API}/{token.pk}")

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == world.commune_a_leader
    assert event.object_id == str(token.pk)
    assert event.before == {"revoked_at": None}


def test_revoking_twice_changes_nothing_more(world, api_as):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client = api_as(world.commune_a_leader)
    client.delete(f"{API}/{token.pk}")
    revoked_at = ApiKey.objects.get(pk=token.pk).revoked_at

    assert client.delete(f"{API}/{token.pk}").status_code == 204
    assert ApiKey.objects.get(pk=token.pk).revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.parametrize("outsider", ["commune_a_viewer", "province_committee", "nobody"])
def test_someone_elses_token_is_answered_as_missing(world, api_as, outsider):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client = api_as(getattr(world, outsider))

    hidden, missing = client.delete(f"{API}/{token.pk}"), client.delete(f"{API}/{MISSING_ID}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_revoke_needs_a_caller(world):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")
    assert_unauthorized(Client().delete(f"{API}/{token.pk}"))
    token.refresh_from_db()
    assert token.revoked_at is None

