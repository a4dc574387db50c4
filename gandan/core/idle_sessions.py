"""Idle expiry of sessions without rewriting them on every request.

A session ends SESSION_COOKIE_AGE seconds after the user's last request. Django's way to get that,
SESSION_SAVE_EVERY_REQUEST, writes the whole session back after every request, so that two requests
of one browser running at once (a page and the service worker fetching the kept pages, say) overwrite
each other: the one that changed the session (an import waiting for its conversion, a message) loses
to the one that did not. Here a request that leaves the session unchanged only moves its expiry
date, in one UPDATE of that column, at most once a minute per session (a key in the cache says it was
done, so most requests touch no table); a request that changed it is saved by Django's session
middleware as usual, with a fresh expiry. Without the cache (Redis down) the expiry is moved anyway:
one UPDATE per request until it is back, never an error page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from redis.exceptions import RedisError

DB_ENGINES = {"django.contrib.sessions.backends.db"}
SLACK = dt.timedelta(seconds=60)


class IdleSessionMiddleware:
    """After SessionMiddleware: restart the idle clock of an unchanged stored session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (session is None or session.modified or not session.session_key or not session.accessed
                or settings.SESSION_ENGINE not in DB_ENGINES):
            return response
        try:
            fresh_enough = not cache.add(f"session-alive:{session.session_key}", 1, timeout=int(SLACK.total_seconds()))
        except (RedisError, OSError):  # the cache is down: move the expiry anyway
            fresh_enough = False
        if fresh_enough:
            return response  # restarted less than a minute ago
        from django.contrib.sessions.models import Session

        fresh = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        Session.objects.filter(session_key=session.session_key, expire_date__lt=fresh - SLACK).update(
            expire_date=fresh)
        return response
