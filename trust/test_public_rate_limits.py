"""Every route a caller who is not signed in can reach is rate-limited: the harness calls each URL
pattern of the site (pages, the API, Open311) anonymously with GET and POST; a route that does not
send the caller to the login page (or answer 401, as the API does) is public, and once its caller is
over the limit it must answer 429 — in the product's words, in the caller's language, with a
Retry-After. An exemption is a named, reasoned entry of `core.ratelimit.UNLIMITED_ROUTES`. A route
added later is called the same way, so it is covered the day it exists.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from gandan.core import ratelimit

pytestmark = pytest.mark.django_db

# Values tried for each route parameter, by name; the first that reverses is used.
SAMPLES: dict[str, tuple[Any, ...]] = {"fmt": ("json", "xml"), "step": ("submit",), "uidb64": ("MQ",),
                                      "token": ("abc-0123456789abcdef",)}
FALLBACK = (987654321, "PAKN-00000-00000", "x")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    url: str


def _reversed(name: str, params: list[str], defaults: dict[str, Any]) -> str | None:
    choices = [SAMPLES.get(p, FALLBACK) for p in params if p not in defaults]
    free = [p for p in params if p not in defaults]
    for values in itertools.product(*choices):
        try:
            return reverse(name, kwargs=dict(zip(free, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


def routes() -> Iterator[Route]:
    """Every URL pattern of the site, with a URL that reaches it."""
    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, pattern, inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                url = _reversed(name, list(entry.pattern.regex.groupindex), entry.default_args) if name else None
                yield Route(name or pattern, pattern, url or "")
    yield from walk(get_resolver().url_patterns, "", "")


def refuses_the_anonymous(response: Any) -> bool:
    """The login page (a redirect to it), or the API's 401: only a signed-in caller gets further; a 405
    says the method is no way in."""
    if response.status_code in (401, 405):
        return True
    login = resolve_url(django_settings.LOGIN_URL)
    return response.status_code in (301, 302) and response["Location"].split("?")[0] == login


@pytest.fixture
def over_the_limit(monkeypatch):
    """Every count of core/ratelimit.py says the caller has used up its limit."""
    def switch() -> None:
        monkeypatch.setattr(ratelimit, "get_usage", lambda *args, **kwargs: {
            "count": 10 ** 9, "limit": 1, "should_limit": True, "time_left": 60})
    return switch


def unlimited(settings, over_the_limit) -> tuple[list[str], int]:
    """The public routes that answer without a 429 when their caller is over the limit, and how many
    public (route, method) pairs were called."""
    settings.PUBLIC_RATE_LIMIT = {**settings.PUBLIC_RATE_LIMIT, "requests": 10 ** 6}  # while finding them
    client = Client(raise_request_exception=False)
    public: list[tuple[Route, str]] = []
    failures: list[str] = []
    for route in routes():
        if not route.url:
            failures.append(f"{route.name} ({route.pattern}): no URL could be made for it: add its parameter "
                            "to SAMPLES in trust/test_public_rate_limits.py")
            continue
        for method in ("get", "post"):
            if not refuses_the_anonymous(getattr(client, method)(route.url)):
                public.append((route, method))
    over_the_limit()
    for route, method in public:
        if route.name in ratelimit.UNLIMITED_ROUTES:
            continue
        response = getattr(client, method)(route.url)
        if response.status_code != 429:
            failures.append(f"{method.upper()} {route.url} ({route.name}): {response.status_code} for a caller "
                            "over the limit: limit it (core/ratelimit.py) or name it in UNLIMITED_ROUTES")
        elif not response.has_header("Retry-After"):
            failures.append(f"{method.upper()} {route.url} ({route.name}): a 429 without Retry-After")
    return failures, len(public)


def test_every_public_route_is_rate_limited(settings, over_the_limit):
    failures, public = unlimited(settings, over_the_limit)
    assert not failures, "\n".join(failures)
    assert public >= 25  # the landing page, concerns, the lookup, Open311, login, set-password…


def test_a_public_route_without_a_limit_fails_the_harness(settings, over_the_limit):
    settings.ROOT_URLCONF = "trust.urls_with_a_public_route"
    settings.LOGIN_URL = "/accounts/login/"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PublicRateLimitMiddleware")]
    failures, _public = unlimited(settings, over_the_limit)
    # The project's own public pages fail too, without the site-wide limit; the new one must be named.
    assert set(failures) >= {
        "GET /new-public-page/ (new-public-page): 200 for a caller over the limit: limit it (core/ratelimit.py) "
        "or name it in UNLIMITED_ROUTES",
        "POST /new-public-page/ (new-public-page): 200 for a caller over the limit: limit it "
        "(core/ratelimit.py) or name it in UNLIMITED_ROUTES"}


def test_every_exemption_names_a_route_and_gives_its_reason():
    names = {route.name for route in routes()}
    for name, reason in ratelimit.UNLIMITED_ROUTES.items():
        assert name in names, f"{name} is exempted but is no route"
        assert len(reason.split()) >= 8, f"{name}: say why it may never be refused"
