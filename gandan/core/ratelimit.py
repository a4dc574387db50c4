"""Request rate limits and the login lockout: one thin wrapper over django-ratelimit.

A limit counts the requests of one client (its address, `client_ip`) — or of one client and a login
name — in fixed windows kept in the "ratelimit" cache, so it resets by itself. That cache must
increment atomically and be shared by every web process: Redis in production (INCR); in development
and tests, where one process serves, the local-memory cache (its increments hold a lock). Pages
call `over_limit` once per request that counts and refuse the request, in their own words, when it
answers True. The login counts failures only: `login_locked` before a password is checked,
`login_failed` after a wrong one (settings.LOGIN_THROTTLE: 5 failures per 15 minutes).

Behind a proxy, REMOTE_ADDR must be the client's address (nginx: set_real_ip_from / real_ip_header):
no forwarded-for header is trusted here, since a client can send any it likes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]  # django-ratelimit ships no types


def client_ip(request: HttpRequest) -> str:
    """The caller's address as the web server saw it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _count(request: HttpRequest, *, group: str, client: str, limit: int, window: int, increment: bool) -> int:
    """The client's count in the current window of `group` (after counting this request if `increment`)."""
    usage = get_usage(request, group=group, key=lambda _group, _request: client, rate=(limit, window),
                      increment=increment)
    if usage is None:  # RATELIMIT_ENABLE = False
        return 0
    if usage["should_limit"] and usage["count"] == 0:  # the cache failed: refuse rather than let all through
        return limit + 1
    return usage["count"]


def over_limit(request: HttpRequest, *, group: str, limit: int, window: int) -> bool:
    """Count this request of the client in `group`; True once it is past `limit` per `window` seconds."""
    return _count(request, group=group, client=client_ip(request), limit=limit, window=window, increment=True) > limit


def _login_client(request: HttpRequest, username: str) -> str:
    return f"{client_ip(request)}:{(username or '').strip().lower()}"


def login_locked(request: HttpRequest, username: str) -> bool:
    """True while this address has used up its failed logins for `username` in the window."""
    throttle = settings.LOGIN_THROTTLE
    return _count(request, group="login-failures", client=_login_client(request, username),
                  limit=throttle["attempts"], window=throttle["window_seconds"], increment=False) \
        >= throttle["attempts"]


def login_failed(request: HttpRequest, username: str) -> None:
    """Count one failed login of this address for `username`."""
    throttle = settings.LOGIN_THROTTLE
    _count(request, group="login-failures", client=_login_client(request, username),
           limit=throttle["attempts"], window=throttle["window_seconds"], increment=True)
