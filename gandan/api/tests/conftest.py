"""Fixtures for the API tests: callers by persona, by token, and none at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gandan.people.tokens import token_create


@pytest.fixture
def api_as() -> Callable[[Any], Client]:
    """api_as(user) → a client with that user's session (CSRF not enforced, as if sent with its token)."""

    def login(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def bearer() -> Callable[[Any], Client]:
    """bearer(user) → a client without a session that sends a fresh personal token of the user."""

    def with_token(user: Any) -> Client:
        _token, key = token_create(actor=user, name="điện thoại")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    return with_token
