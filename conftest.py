"""Test-wide settings and fixtures: the persona world, and a faster password hasher."""

from __future__ import annotations

import os

os.environ.setdefault("GANDAN_ENV", "test")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache_and_media(settings, tmp_path):
    """Each test has its own caches (rate limits and the login lockout count in "ratelimit") and a
    temporary media folder."""
    from django.core.cache import caches

    settings.CACHES = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                               "LOCATION": f"{tmp_path}:{alias}"} for alias in ("default", "ratelimit")}
    settings.MEDIA_ROOT = tmp_path / "media"
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def world(db):
    from gandan.people.testing import build_world

    return build_world()


@pytest.fixture
def client_as(client):
    """client_as(user) → a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_as():
    """api_as(user) → a client with that user's session (CSRF not enforced, as if sent with its token)."""
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def bearer():
    """bearer(user) → a client without a session that sends a fresh personal token of the user."""
    from django.test import Client

    from gandan.people.tokens import token_create

    def with_token(user):
        _token, key = token_create(actor=user, name="điện thoại")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    return with_token
