"""Test-wide settings and fixtures: the persona world, and a faster password hasher."""

from __future__ import annotations

import os

os.environ.setdefault("GANDAN_ENV", "test")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from gandan.core.testing import build_world

    return build_world()


@pytest.fixture
def client_as(client):
    """client_as(user) → a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login
