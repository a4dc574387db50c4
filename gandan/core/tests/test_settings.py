from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("import django; django.setup(); from django.conf import settings; "
         "print(settings.DATABASES['default']['ENGINE'])")


def _run(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GANDAN_ENV"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gandan.settings", **env_overrides})
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"GANDAN_ENV": "production", "ALLOWED_HOSTS": "gandan.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_defaults_to_embedded_sqlite():
    result = _run({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


@pytest.mark.parametrize("url, engine", [("postgres://u@127.0.0.1:5432/x", "django.db.backends.postgresql")])
def test_database_url_selects_the_database(url, engine):
    result = _run({"DATABASE_URL": url})
    assert result.stdout.strip() == engine, result.stderr


def test_a_bad_environment_name_is_refused():
    result = _run({"GANDAN_ENV": "staging"})
    assert result.returncode != 0 and "GANDAN_ENV" in result.stderr


DEBUG_PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _debug(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GANDAN_ENV",
                                                           "GANDAN_DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gandan.settings", **env_overrides})
    return subprocess.run([sys.executable, "-c", DEBUG_PROBE], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("environment", ["development", "test"])
def test_debug_is_off_unless_gandan_debug_asks_for_it(environment):
    assert _debug({"GANDAN_ENV": environment}).stdout.strip() == "False"
    assert _debug({"GANDAN_ENV": environment, "DEBUG": "1"}).stdout.strip() == "False"  # the old name is not read
    assert _debug({"GANDAN_ENV": environment, "GANDAN_DEBUG": "1"}).stdout.strip() == "True"


def test_production_refuses_debug():
    result = _debug({"GANDAN_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "gandan.example",
                     "GANDAN_DEBUG": "1"})
    assert result.returncode != 0 and "GANDAN_DEBUG" in result.stderr
