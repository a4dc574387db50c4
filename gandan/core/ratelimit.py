"""Request rate limits and the login lockout: one thin wrapper over django-ratelimit.

A limit counts the requests of one client (its address, `client_ip`) — or of one client and a login
name — in fixed windows kept in the "ratelimit" cache, so it resets by itself. That cache must
increment atomically and be shared by every web process: Redis in production (INCR); in development
and tests, where one process serves, the local-memory cache (its increments hold a lock). Pages
call `over_limit` once per request that counts and refuse the request, in their own words, when it
answers True. The login counts failures only: `login_locked` before a password is checked,
`login_failed` after a wrong one (settings.LOGIN_THROTTLE: 5 failures per 15 minutes).

A back-off guards one secret of one object (a key the caller names, whoever asks): after
`Backoff.free` failures the next try waits `first` seconds from the last failure, and each further
failure doubles the wait, up to `longest`; failures are counted (atomically) in windows of
`forget_after` seconds, the time of the last one is kept beside the count.
`backoff_wait` answers the seconds still to wait before a try, `backoff_failed` counts a failure.

Behind a proxy, REMOTE_ADDR must be the client's address (nginx: set_real_ip_from / real_ip_header):
no forwarded-for header is trusted here, since a client can send any it likes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
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


@dataclass(frozen=True)
class Backoff:
    free: int = 3  # failures before the first wait
    first: int = 60  # seconds to wait after the first failure past `free`
    longest: int = 3600  # the wait stops doubling here
    forget_after: int = 86400  # failures are counted in windows this long


def _last_failure_key(group: str, key: str) -> str:
    return "backoff:" + hashlib.sha256(f"{group}\0{key}".encode()).hexdigest()


def _backoff_delay(failures: int, backoff: Backoff) -> int:
    if failures < backoff.free:
        return 0
    return min(backoff.longest, backoff.first * 2 ** min(failures - backoff.free, 32))


def backoff_wait(request: HttpRequest, *, group: str, key: str, backoff: Backoff) -> int:
    """Seconds before `key` may be tried again in `group` (0: now)."""
    failures = _count(request, group=group, client=key, limit=backoff.free, window=backoff.forget_after,
                      increment=False)
    delay = _backoff_delay(failures, backoff)
    if delay == 0:
        return 0
    now = time.time()
    last = caches[settings.RATELIMIT_USE_CACHE].get(_last_failure_key(group, key), now)  # lost: wait it all
    return max(0, int(last + delay - now + 0.999))


def backoff_failed(request: HttpRequest, *, group: str, key: str, backoff: Backoff) -> int:
    """Count one failure of `key` in `group`; the seconds to wait before the next try."""
    failures = _count(request, group=group, client=key, limit=backoff.free, window=backoff.forget_after,
                      increment=True)
    caches[settings.RATELIMIT_USE_CACHE].set(_last_failure_key(group, key), time.time(), backoff.forget_after)
    return _backoff_delay(failures, backoff)


def failures_used_up(request: HttpRequest, *, group: str, limit: int, window: int) -> bool:
    """True while the client has used up its `limit` failures per `window` seconds in `group`."""
    return _count(request, group=group, client=client_ip(request), limit=limit, window=window,
                  increment=False) >= limit


def failure_counted(request: HttpRequest, *, group: str, limit: int, window: int) -> None:
    """Count one failure of the client in `group`."""
    _count(request, group=group, client=client_ip(request), limit=limit, window=window, increment=True)
