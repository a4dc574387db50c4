"""Fixtures of the trust harnesses."""

from __future__ import annotations

import pytest


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests sent straight to the WSGI handler (Schemathesis) keep the test's database connection,
    as Django's test client does: closing it at each request's end would end the test's transaction
    on PostgreSQL."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def no_site_wide_limit(settings):
    """Fuzzing sends thousands of anonymous requests from one address: the site-wide limit of callers who
    are not signed in (core/ratelimit.py) would answer most of them 429 before they reach the code."""
    settings.PUBLIC_RATE_LIMIT = {**settings.PUBLIC_RATE_LIMIT, "requests": 10 ** 9}
