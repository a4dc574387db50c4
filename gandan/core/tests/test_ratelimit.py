"""The one rate limiter (gandan/core/ratelimit.py): windows per client address, and the login lockout.
Time is frozen with time-machine (rate-limit windows and the local cache's expiry follow it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory

from gandan.core import ratelimit

LOGIN = "/accounts/login/"
PASSWORD = "mat-khau-thu-nghiem-2026"
LOCKED = "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút."
START = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def users(db):
    for username in ("commune_a_leader", "commune_a_viewer"):
        get_user_model().objects.create_user(username, password=PASSWORD)


def request_from(address: str = "203.0.113.7", **meta: Any):
    return RequestFactory().get("/", REMOTE_ADDR=address, **meta)


def log_in(client: Client, username: str = "commune_a_leader", password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_client_is_the_address_the_web_server_saw_never_a_forwarded_header():
    assert ratelimit.client_ip(request_from("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "203.0.113.7"
    assert ratelimit.client_ip(request_from("")) == "unknown"


def test_a_client_may_make_limit_requests_per_window_and_the_next_window_counts_afresh(frozen):
    request = request_from()
    assert [ratelimit.over_limit(request, group="t", limit=2, window=60) for _ in range(3)] == [False, False, True]
    frozen.shift(60)  # one whole window later: always the next window
    assert not ratelimit.over_limit(request, group="t", limit=2, window=60)


def test_clients_and_groups_are_counted_apart(frozen):
    for _ in range(2):
        ratelimit.over_limit(request_from("203.0.113.7"), group="t", limit=1, window=60)
    assert ratelimit.over_limit(request_from("203.0.113.7"), group="t", limit=1, window=60)
    assert not ratelimit.over_limit(request_from("203.0.113.8"), group="t", limit=1, window=60)
    assert not ratelimit.over_limit(request_from("203.0.113.7"), group="other", limit=1, window=60)


def test_five_failures_lock_the_login_until_the_window_has_passed(users, frozen):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [log_in(client, password="sai").status_code for _ in range(5)] == [200] * 5
    frozen.shift(60)
    locked = log_in(client)
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session

    frozen.shift(15 * 60)  # 15 minutes on: the lockout has ended by itself
    opened = log_in(client)
    assert opened.status_code == 302 and "_auth_user_id" in client.session


def test_four_failures_do_not_lock_and_the_name_counts_without_case_or_spaces(users, frozen):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("commune_a_leader", "Commune_A_Leader", " commune_a_leader ", "COMMUNE_A_LEADER"):
        assert log_in(client, name, "sai").status_code == 200
    assert log_in(client).status_code == 302
    client.logout()
    assert log_in(client, "Commune_A_leader", "sai").status_code == 200  # the fifth
    assert log_in(client).status_code == 429


def test_the_lockout_holds_one_address_and_one_login_name(users, frozen):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        log_in(attacker, password="sai")
    assert log_in(Client(REMOTE_ADDR="203.0.113.8")).status_code == 302
    assert log_in(attacker, "commune_a_viewer").status_code == 302


def test_the_login_refuses_through_the_one_limiter(users, monkeypatch):
    """With the shared limiter's count past its own limit, the login refuses as it always has."""
    monkeypatch.setattr(ratelimit, "get_usage", lambda *args, group, **kwargs: {  # the page's own limit, not
        "count": 0 if group == "public" else 10**6, "limit": 5,  # the site-wide one before it
        "should_limit": group != "public", "time_left": 1})
    response = log_in(Client())
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_the_rate_limit_cache_passes_the_system_checks():
    call_command("check")  # raises SystemCheckError when django-ratelimit's cache check fails


def test_a_back_off_lets_a_few_failures_through_then_doubles_the_wait_from_the_last_failure(frozen):
    backoff = ratelimit.Backoff(free=2, first=60, longest=200, forget_after=3600)
    request = request_from()
    wait = [ratelimit.backoff_failed(request, group="t", key="object-1", backoff=backoff) for _ in range(4)]
    assert wait == [0, 60, 120, 200]  # doubling, up to the longest
    assert ratelimit.backoff_wait(request, group="t", key="object-1", backoff=backoff) == 200
    assert ratelimit.backoff_wait(request_from("198.51.100.1"), group="t", key="object-1", backoff=backoff) == 200
    assert ratelimit.backoff_wait(request, group="t", key="object-2", backoff=backoff) == 0
    frozen.shift(150)
    assert ratelimit.backoff_wait(request, group="t", key="object-1", backoff=backoff) == 50
    frozen.shift(50)
    assert ratelimit.backoff_wait(request, group="t", key="object-1", backoff=backoff) == 0


# -- the site-wide limit of callers who are not signed in (PublicRateLimitMiddleware) ----------------
@pytest.fixture
def three_a_minute(settings):
    settings.PUBLIC_RATE_LIMIT = {"requests": 3, "window_seconds": 60}


def test_a_visitor_past_the_site_wide_limit_gets_the_429_page_in_their_language(db, three_a_minute, frozen):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [client.get("/petitions/track/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/assignments/lookup/")  # any page: the count is the address's
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau 1 phút." in refused.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/petitions/track/")
    assert english.status_code == 429 and "Too many requests. Please try again in 1 minute." in \
        english.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.8").get("/petitions/track/").status_code == 200  # another address
    frozen.shift(61)
    assert client.get("/petitions/track/").status_code == 200  # the window has passed


def test_machines_get_the_429_in_their_own_shape(db, three_a_minute, frozen):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        client.get("/health/")  # never counted
        client.get("/petitions/open311/v2/discovery.json")
    assert client.get("/health/").status_code == 200
    api = client.get("/api/v1/units/roots")
    assert api.status_code == 429 and api.json() == {"detail": "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại "
                                                               "sau 1 phút."}
    georeport = client.get("/petitions/open311/v2/services.json")
    assert georeport.status_code == 429 and georeport.json()[0]["code"] == 429
    xml = client.get("/petitions/open311/v2/services.xml")
    assert xml.status_code == 429 and b"<errors><error><code>429</code>" in xml.content


def test_a_signed_in_user_is_not_counted_by_the_site_wide_limit(users, three_a_minute, frozen):
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(get_user_model().objects.get(username="commune_a_viewer"))
    assert {client.get("/petitions/track/").status_code for _ in range(5)} == {200}
