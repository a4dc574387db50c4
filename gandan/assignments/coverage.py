"""Coverage and load arithmetic as pure functions over plain numbers (no ORM; tested without a
database). The counts come from set-based SQL in coverage_queries.py.

- coverage rate = targets with an active primary follower / all targets (None when there are none);
- load of a follower = targets of one level they follow as primary;
- imbalance of loads = coefficient of variation (population standard deviation / mean) and the
  max/min ratio (None when the lightest follower has nothing).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")
BALANCED_CV = 0.25  # below: balanced; up to UNEVEN_CV: uneven; above: very uneven
UNEVEN_CV = 0.5


@dataclass(frozen=True)
class Tally:
    """How many targets of one kind have an active primary follower, of how many."""

    covered: int
    total: int

    def __post_init__(self) -> None:
        if self.total < 0 or not 0 <= self.covered <= self.total:
            raise ValueError(f"covered {self.covered} must lie between 0 and total {self.total}")

    @property
    def gaps(self) -> int:
        return self.total - self.covered

    @property
    def rate(self) -> float | None:
        return coverage_rate(self.covered, self.total)

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage, rounded down so that 99.6 % never shows as 100 %."""
        rate = self.rate
        return None if rate is None else math.floor(rate * 100 + 1e-9)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.covered + other.covered, self.total + other.total)


def coverage_rate(covered: int, total: int) -> float | None:
    if total < 0 or not 0 <= covered <= total:
        raise ValueError(f"covered {covered} must lie between 0 and total {total}")
    return None if total == 0 else covered / total


def combine(tallies: Iterable[Tally]) -> Tally:
    result = Tally(0, 0)
    for tally in tallies:
        result = result + tally
    return result


@dataclass(frozen=True)
class LoadStats:
    count: int
    total: int
    mean: float | None
    minimum: int | None
    maximum: int | None
    stdev: float | None  # population standard deviation
    cv: float | None  # stdev / mean
    max_min_ratio: float | None  # None when the minimum is 0 (or there is nobody)

    @property
    def verdict(self) -> str:
        """"balanced", "uneven", "very_uneven", or "" when there is nothing to compare."""
        if self.cv is None or self.count < 2:
            return ""
        if self.cv < BALANCED_CV:
            return "balanced"
        return "uneven" if self.cv <= UNEVEN_CV else "very_uneven"


def load_stats(loads: Sequence[int]) -> LoadStats:
    """Summary and imbalance of followers' loads (each a non-negative count)."""
    if any(n < 0 for n in loads):
        raise ValueError("a load cannot be negative")
    count = len(loads)
    if count == 0:
        return LoadStats(0, 0, None, None, None, None, None, None)
    total = sum(loads)
    mean = total / count
    stdev = math.sqrt(sum((n - mean) ** 2 for n in loads) / count)
    low, high = min(loads), max(loads)
    return LoadStats(count=count, total=total, mean=mean, minimum=low, maximum=high, stdev=stdev,
                     cv=stdev / mean if mean > 0 else None, max_min_ratio=high / low if low > 0 else None)


def overloaded(loads: Mapping[K, int], cap: int | None) -> list[K]:
    """Followers above the cap, heaviest first (none when there is no cap)."""
    if cap is None:
        return []
    return sorted((k for k, n in loads.items() if n > cap), key=lambda k: (-loads[k], str(k)))
