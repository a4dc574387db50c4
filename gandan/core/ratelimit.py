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

Every request of a caller who is not signed in (a visitor, a client of Open311, a login page, a
set-password link) is also counted per address by `PublicRateLimitMiddleware`, whatever its route,
so that a public route added later is limited without anyone remembering to: `refused` answers the
429 (the product's page, the API's JSON, or the GeoReport v2 error list for a .json/.xml path) with a
Retry-After. Routes that must never be refused (the health check) are named, with their reason, in
`UNLIMITED_ROUTES`; `trust/test_public_rate_limits.py` calls every route anonymously and fails on any
that answers without being limited.

When the cache cannot be reached (Redis down), every count answers "past the limit": throttled
pages and logins refuse (fail closed) until it is back, rather than let guesses through uncounted;
the rest of the site does not read this cache and keeps serving. `cache_failed(request)` tells a page
that the refusal came from the outage, not from the client's count.

Behind a proxy, REMOTE_ADDR must be the client's address (nginx: set_real_ip_from / real_ip_header):
no forwarded-for header is trusted here, since a client can send any it likes.
"""

from __future__ import annotations

import hashlib
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]  # django-ratelimit ships no types
from redis.exceptions import RedisError

log = logging.getLogger("gandan.ratelimit")
CACHE_ERRORS = (RedisError, OSError)  # the cache's server out of reach


def client_ip(request: HttpRequest) -> str:
    """The caller's address as the web server saw it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _count(request: HttpRequest, *, group: str, client: str, limit: int, window: int, increment: bool) -> int:
    """The client's count in the current window of `group` (after counting this request if `increment`)."""
    try:
        usage = get_usage(request, group=group, key=lambda _group, _request: client, rate=(limit, window),
                          increment=increment)
    except CACHE_ERRORS as exc:  # fail closed
        log.warning("Rate limit cache unavailable, refusing (%s): %s", group, exc)
        request._ratelimit_cache_failed = True  # type: ignore[attr-defined]  # read by cache_failed
        return limit + 1
    if usage is None:  # RATELIMIT_ENABLE = False
        return 0
    if usage["should_limit"] and usage["count"] == 0:  # the cache failed: refuse rather than let all through
        return limit + 1
    return usage["count"]


def cache_failed(request: HttpRequest) -> bool:
    """True when a count of this request could not be read: the limit refused because the cache is down."""
    return getattr(request, "_ratelimit_cache_failed", False)


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
    try:
        last = caches[settings.RATELIMIT_USE_CACHE].get(_last_failure_key(group, key), now)  # lost: wait it all
    except CACHE_ERRORS:
        last = now
    return max(0, int(last + delay - now + 0.999))


def backoff_failed(request: HttpRequest, *, group: str, key: str, backoff: Backoff) -> int:
    """Count one failure of `key` in `group`; the seconds to wait before the next try."""
    failures = _count(request, group=group, client=key, limit=backoff.free, window=backoff.forget_after,
                      increment=True)
    try:
        caches[settings.RATELIMIT_USE_CACHE].set(_last_failure_key(group, key), time.time(), backoff.forget_after)
    except CACHE_ERRORS:
        log.warning("Rate limit cache unavailable: the time of a failure in %s is not kept", group)
    return _backoff_delay(failures, backoff)


def failures_used_up(request: HttpRequest, *, group: str, limit: int, window: int) -> bool:
    """True while the client has used up its `limit` failures per `window` seconds in `group`."""
    return _count(request, group=group, client=client_ip(request), limit=limit, window=window,
                  increment=False) >= limit


def failure_counted(request: HttpRequest, *, group: str, limit: int, window: int) -> None:
    """Count one failure of the client in `group`."""
    _count(request, group=group, client=client_ip(request), limit=limit, window=window, increment=True)


# -- every page a caller who is not signed in reaches ------------------------------------------------
# URL names never refused, each with its reason (trust/test_public_rate_limits.py reads this list).
UNLIMITED_ROUTES: dict[str, str] = {
    "health": "probed every few seconds by the load balancer and monitoring from one address; it reads "
              "nothing but SELECT 1, and a 429 there would take a healthy server out of service",
}


def retry_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(minutes)d phút.",
                    "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(minutes)d phút.", minutes) \
        % {"minutes": minutes}


def refused(request: HttpRequest, *, retry_after: int, message: str | None = None) -> HttpResponse:
    """The 429 of a refused request, in the shape its caller reads, with a Retry-After in seconds."""
    text = message or retry_message(retry_after)
    path = request.path_info
    response: HttpResponse
    if path.startswith("/api/"):
        response = JsonResponse({"detail": text}, status=429)
    elif path.endswith(".json"):  # GeoReport v2 (Open311) clients read a list of errors
        response = JsonResponse([{"code": 429, "description": text}], status=429, safe=False)
    elif path.endswith(".xml"):
        errors = ET.Element("errors")
        error = ET.SubElement(errors, "error")
        ET.SubElement(error, "code").text = "429"
        ET.SubElement(error, "description").text = text
        response = HttpResponse(b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(errors, encoding="utf-8"),
                                content_type="text/xml; charset=utf-8", status=429)
    else:
        response = HttpResponse(loader.get_template("429.html").render({"message": text}), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _route_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


class PublicRateLimitMiddleware:
    """After AuthenticationMiddleware: count each request of a caller who is not signed in, per address
    (settings.PUBLIC_RATE_LIMIT), and refuse it with a 429 past the limit. Stricter limits of one page
    (filing a concern, a PIN, a login name) are that page's own, on top of this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated) and _route_name(request) not in UNLIMITED_ROUTES:
            rate = settings.PUBLIC_RATE_LIMIT
            limited = over_limit(request, group="public", limit=rate["requests"], window=rate["window_seconds"])
            if cache_failed(request):
                # This coarse count fails open: citizens keep reading and filing while the cache is down;
                # the limits that guard a secret (a login, a PIN) count again on their own and fail closed.
                request._ratelimit_cache_failed = False  # type: ignore[attr-defined]  # for the page's own count
            elif limited:
                return refused(request, retry_after=rate["window_seconds"])
        return self.get_response(request)
