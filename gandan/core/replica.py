"""Dashboard and report reads from a streaming replica; a user who has just written reads their own
writes from the primary (DESIGN §5, README "Running in production").

- `DATABASE_REPLICA_URL` adds the `replica` alias (settings.py); without it everything reads the
  primary and nothing here changes a query.
- The views that may read the replica are named in `GANDAN_REPLICA_VIEWS` (URL names, `*` patterns):
  dashboards, rates, rankings, reports: pages that read much and write nothing, and where data a few
  seconds old is right. Every other page, every API call and every job reads the primary.
- Only a GET or HEAD, and only when the browser is not *pinned*: any other method (a write, or a try
  at one) sets a cookie that pins the browser to the primary for `GANDAN_REPLICA_PIN_SECONDS` (15 by
  default; keep it above the replica's worst lag, which `python -m cluster test` measures). A cookie
  rather than the session: it costs no write, and whoever removes it only reads older data of their
  own scope. The pin is per browser, so another user's write shows there once the replica has it.
- Identity is read from the primary first (the session and the user are loaded before the view runs),
  and a read inside a transaction reads the primary (what the transaction has written, and the rows it
  locks). Writes always go to the primary; migrations run only there.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
PIN_COOKIE = "gandan_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Read from the primary whatever the view: who is signed in, and the keys and throttles of sign-in.
ALWAYS_PRIMARY_APPS = frozenset({"sessions", "auth", "contenttypes"})
ALWAYS_PRIMARY_MODELS = frozenset({"people.user", "people.rolegrant", "people.signedinsession", "core.apikey"})

_replica_reads: ContextVar[bool] = ContextVar("gandan_replica_reads", default=False)


def replica_alias() -> str | None:
    alias = getattr(settings, "GANDAN_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside: reads outside a transaction go to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = replica_alias()
        if alias is None or not _replica_reads.get():
            return None
        meta = model._meta
        if meta.app_label in ALWAYS_PRIMARY_APPS or meta.label_lower in ALWAYS_PRIMARY_MODELS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def pinned(request: HttpRequest, now: float | None = None) -> bool:
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return False
    return until > (time.time() if now is None else now)


def replica_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.GANDAN_REPLICA_VIEWS)


class ReplicaReadsMiddleware:
    """After AuthenticationMiddleware: a listed view's reads go to the replica unless the browser is
    pinned; any unsafe request pins it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_gandan_replica_token", None)
            if token is not None:
                _replica_reads.reset(token)
        if request.method not in SAFE_METHODS and replica_alias() is not None:
            seconds = settings.GANDAN_REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if (replica_alias() is None or request.method not in SAFE_METHODS or pinned(request)
                or not replica_view(request)):
            return
        user = getattr(request, "user", None)
        if user is not None:
            bool(user.is_authenticated)  # loads the session and the user now, from the primary
        request._gandan_replica_token = _replica_reads.set(True)  # type: ignore[attr-defined]
