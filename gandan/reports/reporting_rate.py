"""The reporting rate, as DHIS2 defines it. Pure (no ORM).

- expected reports: the units due to report for the period (the children of the receiving unit);
- actual reports: the expected units whose report was submitted (submitted, accepted, or returned
  after a submission: the unit did report);
- reporting rate = actual / expected;
- on time: submitted no later than the configured number of days after the period ends (the
  deadline is the end of that day, local time);
- on-time rate = on time / expected (not / actual: a unit that never reports lowers it too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def deadline(period_end: dt.date, days_after: int) -> dt.date:
    """The last day a report is on time."""
    return period_end + dt.timedelta(days=days_after)


def is_on_time(submitted_on: dt.date, period_end: dt.date, days_after: int) -> bool:
    return submitted_on <= deadline(period_end, days_after)


@dataclass(frozen=True)
class ReportingRate:
    expected: int
    actual: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return None if self.expected == 0 else round(100 * self.actual / self.expected, 1)

    @property
    def on_time_rate(self) -> float | None:
        return None if self.expected == 0 else round(100 * self.on_time / self.expected, 1)


def reporting_rate(expected_units: Iterable[int], submitted_on: Mapping[int, dt.date], period_end: dt.date,
                   days_after: int) -> ReportingRate:
    """`submitted_on`: unit → the day its report was (first) submitted; units not expected are ignored."""
    expected = set(expected_units)
    actual = {u for u in expected if u in submitted_on}
    on_time = {u for u in actual if is_on_time(submitted_on[u], period_end, days_after)}
    return ReportingRate(len(expected), len(actual), len(on_time))
