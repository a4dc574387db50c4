"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gandan.api.errors import NOT_FOUND, UNAUTHORIZED

MISSING_ID = 987654321


def assert_hidden(client: Client, url: str, missing_url: str) -> None:
    """An object outside the caller's scope answers exactly as a missing one: 404, same body."""
    hidden, missing = client.get(url), client.get(missing_url)
    assert hidden.status_code == 404, hidden.content
    assert missing.status_code == 404, missing.content
    assert hidden.content == missing.content
    assert hidden.json() == {"detail": NOT_FOUND}


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": UNAUTHORIZED}
