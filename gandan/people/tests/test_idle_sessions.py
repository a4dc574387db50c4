"""Sessions end after SESSION_COOKIE_AGE without a request, and a request that leaves the session as it
was never overwrites one that changed it (core/idle_sessions.py)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client

from gandan.core.idle_sessions import IdleSessionMiddleware
from gandan.people.testing import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _signed_in(world) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD}).status_code == 302
    return client


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_each_request_restarts_the_idle_clock_and_a_long_silence_ends_the_session(world, settings):
    settings.SESSION_COOKIE_AGE = 3600
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(world)
        assert _expiry(client) == START + dt.timedelta(hours=1)
        clock.shift(dt.timedelta(minutes=50))
        assert client.get("/me/").status_code == 200
        assert _expiry(client) == START + dt.timedelta(minutes=110)  # an hour after the last request
        clock.shift(dt.timedelta(minutes=61))
        assert client.get("/me/").status_code == 302  # idle for more than the hour: signed out


@pytest.mark.parametrize("save_every_request, kept", [(False, True), (True, False)])
def test_a_request_that_changes_nothing_keeps_what_a_concurrent_one_wrote(world, rf, settings, save_every_request,
                                                                         kept):
    """The page's request has read the session when the service worker's request of the same browser
    writes to it; the page's request then ends. Django's SESSION_SAVE_EVERY_REQUEST would write back
    what it had read and lose the other's change (the second case shows it); ours does not."""
    settings.SESSION_SAVE_EVERY_REQUEST = save_every_request
    key = _signed_in(world).session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def view(request):
        assert request.session.get("_auth_user_id")  # the page's request has read the session
        concurrent = store(session_key=key)
        concurrent["pending-import"] = "token"  # meanwhile another request writes to it
        concurrent.save()
        return HttpResponse("ok")

    request = rf.get("/me/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    SessionMiddleware(IdleSessionMiddleware(view))(request)
    assert ("pending-import" in store(session_key=key).load()) is kept
