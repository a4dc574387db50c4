"""Fixtures of the field-work tests: API callers (session or token), photos stored in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gandan.people.tokens import token_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_as() -> Callable[[Any], Client]:
    def login(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def bearer() -> Callable[[Any], Client]:
    def with_token(user: Any) -> Client:
        _token, key = token_create(actor=user, name="điện thoại")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    return with_token
