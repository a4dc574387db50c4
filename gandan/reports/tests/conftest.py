from __future__ import annotations

import pytest
import time_machine

from gandan.reports.testing import AFTER, build_october


@pytest.fixture
def october(world):
    """The persona world with October 2026 arranged, the clock on 3 November 2026."""
    build_october(world)
    with time_machine.travel(AFTER, tick=False):
        yield world
