"""/me/tokens/: my API tokens page — list, create (key shown once), revoke after a confirm."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client

from gandan.core.models import ApiKey, AuditEvent
from gandan.people.tokens import token_create

pytestmark = pytest.mark.django_db
PAGE = "/me/tokens/"


def revoke_url(token: ApiKey) -> str:
    return f"/me/tokens/{token.pk}/revoke/"


def test_the_page_needs_a_login(world):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_my_tokens_and_not_others(world, client_as):
    token_create(actor=world.commune_a_leader, name="Điện thoại Android")
    token_create(actor=world.commune_b_admin, name="Máy của người khác")

    response = client_as(world.commune_a_leader).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Điện thoại Android" in html
    assert "Máy của người khác" not in html
    assert "Đang hiệu lực" in html


def test_creating_a_token_shows_its_key_once(world, client_as):
    client = client_as(world.commune_a_viewer)

    response = client.post(PAGE, {"name": "Điện thoại"})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    key = re.search(r'id="token-key" value="(gd_[^"]+)"', response.content.decode()).group(1)
    token = ApiKey.objects.get(user=world.commune_a_viewer)
    assert token.name == "Điện thoại"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in client.get(PAGE).content.decode()
    assert AuditEvent.objects.filter(action="api_token.create", actor=world.commune_a_viewer).count() == 1


def test_a_token_needs_a_name(world, client_as):
    response = client_as(world.commune_a_viewer).post(PAGE, {"name": "  "})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_creating_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.commune_a_viewer)
    assert client.post(PAGE, {"name": "Điện thoại"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_revoke_asks_to_confirm_first(world, client_as):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")

    response = client_as(world.commune_a_leader).get(revoke_url(token))

    assert response.status_code == 200
    assert 'data-testid="token-revoke-confirm"' in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_after_confirming(world, client_as):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")

    response = client_as(world.commune_a_leader).post(revoke_url(token))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


@pytest.mark.parametrize("outsider", ["commune_b_admin", "province_committee", "nobody"])
def test_someone_elses_token_is_not_found(world, client_as, outsider):
    token, _ = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client = client_as(getattr(world, outsider))

    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()
