"""Production settings pass `check --deploy` with no warning: HSTS, HTTPS redirect (TLS ends at nginx,
which says so in X-Forwarded-Proto), secure cookies. Run in a child process, as production starts."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

PRODUCTION = {"GANDAN_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(60),
              "DATABASE_URL": "postgres://gandan@127.0.0.1:5432/gandan", "REDIS_URL": "redis://127.0.0.1:6379/0",
              "ALLOWED_HOSTS": "gandan.example.vn", "GANDAN_LANGUAGE": "en"}


def test_production_settings_pass_check_deploy_without_a_warning():
    env = {**{k: v for k, v in os.environ.items() if k not in ("GANDAN_DEBUG", "DATABASE_URL")}, **PRODUCTION}
    done = subprocess.run([sys.executable, "-m", "gandan.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_login_starts_a_new_session_that_ends_with_the_browser(world, settings):
    from gandan.people.testing import PASSWORD

    client = Client()
    session = client.session
    session["before"] = 1
    session.save()
    anonymous_key = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_key
    assert client.session.session_key == anonymous_key
    response = client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != anonymous_key and client.session[SESSION_KEY] == str(
        world.commune_a_leader.pk)
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE  # and the idle clock: gandan/core/tests/test_idle_sessions.py


@pytest.mark.django_db
def test_each_step_of_a_two_step_login_starts_a_new_session_key(world, settings, time_machine):
    import datetime as dt

    from gandan.people.models import SignedInSession
    from gandan.people.testing import PASSWORD, otp_code, otp_enrol

    settings.GANDAN_OTP_REQUIRED = True
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, 5, tzinfo=dt.UTC), tick=False)
    device, _codes = otp_enrol(world.commune_a_leader)
    client = Client()
    session = client.session
    session["before"] = 1
    session.save()
    anonymous_key = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_key
    client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    password_key = client.session.session_key
    assert client.post("/accounts/otp/", {"code": otp_code(device)}).status_code == 302
    verified_key = client.session.session_key
    assert len({anonymous_key, password_key, verified_key}) == 3
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [verified_key]
    for old in (anonymous_key, password_key):
        stale = Client()
        stale.cookies[settings.SESSION_COOKIE_NAME] = old
        assert stale.get("/me/").status_code == 302 and SESSION_KEY not in stale.session
