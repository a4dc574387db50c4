"""Redis out of reach (here: a Redis cache on a port nobody listens on): signed-in pages keep serving
without the idle-session cache, while the rate limits and the login throttle refuse — fail closed —
with a 503 that says why, and logins work again once the cache is back."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import timezone

from gandan.core import ratelimit

PASSWORD = "mat-khau-thu-nghiem-2026"


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on leaving: nothing listens there


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{dead_port()}/0"
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    kept = settings.CACHES
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "OPTIONS": options},
                       "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                     "KEY_PREFIX": "ratelimit", "OPTIONS": options}}
    yield settings
    settings.CACHES = kept  # the suite's own caches again, which it clears after the test


@pytest.fixture
def leader(db):
    return get_user_model().objects.create_user("commune_a_leader", password=PASSWORD)


def test_a_rate_limit_refuses_while_its_cache_is_down(redis_down):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    assert ratelimit.over_limit(request, group="public-track", limit=100, window=60)
    assert ratelimit.cache_failed(request)
    assert ratelimit.backoff_wait(request, group="pin", key="PAKN.1", backoff=ratelimit.Backoff(free=0)) > 0


def test_public_pages_keep_serving_while_the_cache_is_down(redis_down):
    """The per-address count of anonymous callers fails open; the login's own throttle does not."""
    response = Client().get("/accounts/login/", REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 200


def test_a_login_is_refused_with_a_503_that_says_why_and_logs_no_one_in(leader, redis_down):
    client = Client()
    response = client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "hệ thống kiểm soát đăng nhập đang gián đoạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_works_again_once_the_cache_is_back(leader, redis_down, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                       "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    response = Client().post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    assert response.status_code == 302


def test_signed_in_pages_keep_serving_and_the_idle_clock_still_moves(leader, client, redis_down, time_machine):
    from django.contrib.sessions.models import Session

    client.force_login(leader)
    key = client.session.session_key
    before = Session.objects.get(pk=key).expire_date
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=10))
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > before
