"""Campaign tests happen on 15 June 2026 (Asia/Ho_Chi_Minh), whatever the real day or --gandan-now."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _june_2026(_clock):
    with time_machine.travel(NOW, tick=False):
        yield
