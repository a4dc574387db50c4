"""Who is calling: a personal token (`Authorization: Bearer gd_…`) or the browser's session.

The token is tried first: it needs no CSRF token, since browsers never send it by themselves.
The session is tried next and, once a logged-in user is found, django-ninja's SessionAuth checks
CSRF for unsafe methods (403 when it fails). Neither → 401. A token of a user who must change the
password an administrator set is refused (403) until they do, and so is a token of a user who must
confirm logins with a code (people/otp.py) but has no authenticator yet. Route functions read the user from
`request.auth`; `request.api_token` is set when the call came with a token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from gandan.people import otp, tokens
from gandan.people.middleware import must_change_message, otp_enrol_message
from gandan.people.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = tokens.token_lookup(token)
        if found is None:
            return None
        if found.user is not None and found.user.must_change_password:  # people/middleware.py
            raise HttpError(403, must_change_message())
        if found.user is not None and otp.otp_required(found.user) and not otp.enrolled(found.user):
            raise HttpError(403, otp_enrol_message())
        request.api_token = found  # type: ignore[attr-defined]  # our mark: the call came with a token
        return found.user


class SessionAuth(NinjaSessionAuth):
    """Ninja's SessionAuth, but an anonymous caller gets 401 rather than a CSRF 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def user_of(request: HttpRequest) -> User:
    """The authenticated user of an API call."""
    return request.auth  # type: ignore[attr-defined]  # set by ninja's authentication


def by_token(request: HttpRequest) -> bool:
    return getattr(request, "api_token", None) is not None


AUTH = [TokenAuth(), SessionAuth()]
