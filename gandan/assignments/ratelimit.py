"""A small fixed-window rate limiter on Django's cache, for pages open to the public.

Each client (by IP address) may make `limit` requests per window of `window` seconds; the count
lives in the cache under a key naming the window, so it resets by itself. The cache is shared by
the web processes (file cache when embedded, Redis in production), so the limit holds across them.
Behind a proxy, REMOTE_ADDR must be the client's address (nginx: set_real_ip_from / real_ip_header).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, client: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one request of `client` in the current window; False once it is over `limit`."""
    bucket = int((time.time() if now is None else now) // window)
    key = f"ratelimit:{scope}:{client}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
