"""Test-wide settings and fixtures: the persona world, a faster password hasher, and the clock.

The clock: `pytest --gandan-now=2027-01-01T00:05:00+07:00` (or `GANDAN_TEST_NOW=…` in the
environment) runs the whole session as if it began at that instant, and each test as if it started
then, ticking on from there, so that the suite can be run "on another day" — the first of a month,
New Year's Eve a second before midnight. The live server of the browser tests runs in this
process, so it sees the same clock, and the browser's `Date` is set to it (e2e/conftest.py); the
database server's clock is not moved. A test marked `@pytest.mark.any_day` (or a module with
`pytestmark = pytest.mark.any_day`) also runs at each of `AWKWARD_INSTANTS` on every run, so that
a test of that kind which starts to depend on the calendar fails in CI on any day.
"""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("GANDAN_ENV", "test")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Property tests check properties, not speed: on a shared, loaded CI machine Hypothesis's default
# 200 ms deadline per example fails tests at random. Speed is measured by `make bench`.
hypothesis_settings.register_profile("gandan", deadline=None)
hypothesis_settings.load_profile("gandan")

# Instants where "today" misleads: just after midnight on New Year's Day and on the first of
# March (after a 28-day month), a Sunday, and five minutes before the year ends.
AWKWARD_INSTANTS = (
    "2027-01-01T00:05:00+07:00",
    "2026-03-01T00:05:00+07:00",
    "2026-12-31T23:55:00+07:00",
)


def pytest_addoption(parser):
    parser.addoption(
        "--gandan-now", default=os.environ.get("GANDAN_TEST_NOW", ""), metavar="ISO_INSTANT",
        help="run every test as if it started at this instant, with an offset "
             "(e.g. 2027-01-01T00:05:00+07:00); default: $GANDAN_TEST_NOW, else the real clock")


def _instant(text: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--gandan-now needs an offset, e.g. {AWKWARD_INSTANTS[0]}: {text!r}")
    return instant


def pytest_configure(config):
    config.addinivalue_line("markers", "any_day: also run the test at each of conftest.AWKWARD_INSTANTS")
    if config.getoption("--gandan-now"):
        import time_machine

        # Collection too (a module-level "today" is computed on import), then each test afresh.
        config._gandan_travel = time_machine.travel(_instant(config.getoption("--gandan-now")), tick=True)
        config._gandan_travel.start()


def pytest_unconfigure(config):
    if getattr(config, "_gandan_travel", None) is not None:
        config._gandan_travel.stop()


def pytest_report_header(config):
    if config.getoption("--gandan-now"):
        return f"clock: every test starts at {config.getoption('--gandan-now')}"
    return None


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("any_day"):
        metafunc.parametrize("_clock", ["", *AWKWARD_INSTANTS], indirect=True,
                             ids=["today", *(f"at-{text[:16]}" for text in AWKWARD_INSTANTS)])


@pytest.fixture(autouse=True)
def _clock(request):
    """Travel to the instant of the run or of the `any_day` parameter, ticking, and yield it; else
    yield None. Autouse, so that it starts before the test's own fixtures build their data."""
    text = getattr(request, "param", "") or request.config.getoption("--gandan-now")
    if not text:
        yield None
        return
    import time_machine

    with time_machine.travel(_instant(text), tick=True):
        yield text


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request with the English cookie leaves English active in the
    thread (the middleware activates the chosen language and nothing deactivates it)."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_cache_and_media(settings, tmp_path):
    """Each test has its own caches (rate limits and the login lockout count in "ratelimit") and a
    temporary media folder."""
    from django.core.cache import caches

    settings.CACHES = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                               "LOCATION": f"{tmp_path}:{alias}"} for alias in ("default", "ratelimit")}
    settings.MEDIA_ROOT = tmp_path / "media"
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def world(db):
    from gandan.people.testing import build_world

    return build_world()


@pytest.fixture
def client_as(client):
    """client_as(user) → a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_as():
    """api_as(user) → a client with that user's session (CSRF not enforced, as if sent with its token)."""
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def bearer():
    """bearer(user) → a client without a session that sends a fresh personal token of the user."""
    from django.test import Client

    from gandan.people.tokens import token_create

    def with_token(user):
        _token, key = token_create(actor=user, name="điện thoại")
        return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    return with_token
