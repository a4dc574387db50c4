from __future__ import annotations

import datetime as dt

import pytest

from gandan.core.months import add_months

D = dt.date


@pytest.mark.parametrize(("first", "n", "expected"), [
    (D(2026, 3, 1), 1, D(2026, 4, 1)), (D(2026, 12, 1), 1, D(2027, 1, 1)), (D(2026, 1, 1), -1, D(2025, 12, 1)),
    (D(2026, 1, 31), 1, D(2026, 2, 1)),  # any day names its month
    (D(2026, 5, 1), -17, D(2024, 12, 1)), (D(2026, 5, 1), 0, D(2026, 5, 1)), (D(2024, 2, 29), 12, D(2025, 2, 1)),
])
def test_add_months_by_hand(first, n, expected):
    assert add_months(first, n) == expected
