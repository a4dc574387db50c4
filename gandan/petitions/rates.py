"""The three rates, ranking within groups of similar volume, and hot spots. Pure (no ORM).

For a holder (unit, department, cadre) and a period, counted over the stints that started in it:
- response rate = stints taken up (accepted) / stints received;
- on-time resolution rate = stints resolved by their deadline / stints settled, where resolved
  means answered or properly passed on (escalated, transferred, routed out, merged) and settled
  means resolved, or still unresolved past the deadline (so open stints not yet due do not count);
- satisfaction rate = answers the citizen rated satisfied / answers the citizen rated, counting only
  the citizens' own ratings (on the public page, with their PIN).

Ratings a cadre recorded on a citizen's behalf (proxy ratings: a citizen without a phone, with a signed
form or a call record as evidence) are counted apart — `proxy_rated`, `proxy_satisfied` and their own
`proxy_satisfaction` rate, shown beside the citizens' — and are left out of the satisfaction rate and
so of the score and the ranking: satisfaction weighs 40% of the score, and a figure the commune can
write for itself is not one it should be ranked on. The proxy figures stay visible, so that a unit
whose citizens mostly rate through cadres shows it.

Units are ranked monthly within groups of similar volume (terciles of received counts by default):
a commune with 3 concerns is not compared with one that had 300 (Beijing 12345 and CPGRAMS rank
this way). The score weighs the rates 20/40/40 (response, on-time resolution, satisfaction); a
missing rate (nothing to count) leaves the weights of the others.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

_K = TypeVar("_K", bound=Hashable)
WEIGHTS = {"response": 0.2, "on_time": 0.4, "satisfaction": 0.4}
FIGURE_NAMES = ("received", "responded", "resolved", "resolved_on_time", "settled", "overdue", "rated", "satisfied",
                "proxy_rated", "proxy_satisfied")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0 or self.numerator > self.denominator:
            raise ValueError(f"a rate needs 0 <= numerator <= denominator, not {self.numerator}/{self.denominator}")

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else round(100 * value, 1)


@dataclass(frozen=True)
class Figures:
    received: int = 0
    responded: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    settled: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    proxy_rated: int = 0
    proxy_satisfied: int = 0

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Figures:
        return cls(**{name: int(row.get(name) or 0) for name in FIGURE_NAMES})

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in FIGURE_NAMES})

    @property
    def response(self) -> Rate:
        return Rate(min(self.responded, self.received), self.received)

    @property
    def on_time(self) -> Rate:
        return Rate(min(self.resolved_on_time, self.settled), self.settled)

    @property
    def satisfaction(self) -> Rate:
        return Rate(min(self.satisfied, self.rated), self.rated)

    @property
    def proxy_satisfaction(self) -> Rate:
        """Of the ratings cadres recorded for citizens: not part of the score."""
        return Rate(min(self.proxy_satisfied, self.proxy_rated), self.proxy_rated)

    def rates(self) -> dict[str, Rate]:
        return {"response": self.response, "on_time": self.on_time, "satisfaction": self.satisfaction}


def score(figures: Figures, weights: Mapping[str, float] = WEIGHTS) -> float | None:
    """Weighted mean of the available rates, 0–100; None when no rate can be computed."""
    parts = [(weights[name], rate.value) for name, rate in figures.rates().items() if rate.value is not None]
    total = sum(w for w, _ in parts)
    if not parts or total == 0:
        return None
    return round(100 * sum(w * v for w, v in parts) / total, 2)


def volume_bands(volumes: Mapping[_K, int], bands: int = 3) -> dict[_K, int]:
    """Group keys into `bands` groups of similar volume (0 = smallest), by rank quantiles; equal volumes
    always share a group. Fewer keys than bands → one group each at most."""
    if bands < 1:
        raise ValueError("bands must be at least 1")
    if not volumes:
        return {}
    distinct = sorted(set(volumes.values()))
    ordered = sorted(volumes.values())
    n = len(ordered)
    # A volume's band is set by the rank of its first occurrence, so ties stay together.
    first_rank: dict[int, int] = {}
    for index, value in enumerate(ordered):
        first_rank.setdefault(value, index)
    band_of_value = {value: min(bands - 1, first_rank[value] * bands // n) for value in distinct}
    return {key: band_of_value[value] for key, value in volumes.items()}


@dataclass
class Ranked:
    key: Hashable
    figures: Figures
    band: int
    score: float | None
    rank: int | None = None  # 1 = best within its band; None when it has no score
    of: int = 0  # how many ranked in the band
    extra: dict[str, Any] = field(default_factory=dict)


def rank_within_bands(figures: Mapping[Hashable, Figures], bands: int = 3, min_volume: int = 1) -> list[Ranked]:
    """Rank holders by score within their volume band (ties share a rank: 1, 1, 3). Holders below
    `min_volume` are listed without a rank."""
    eligible = {key: f for key, f in figures.items() if f.received >= min_volume}
    band_of = volume_bands({key: f.received for key, f in eligible.items()}, bands)
    rows = [Ranked(key=key, figures=f, band=band_of.get(key, -1), score=score(f) if key in eligible else None)
            for key, f in figures.items()]
    by_band: dict[int, list[Ranked]] = {}
    for row in rows:
        if row.score is not None and row.band >= 0:
            by_band.setdefault(row.band, []).append(row)
    for members in by_band.values():
        members.sort(key=lambda r: -(r.score or 0))
        previous: float | None = None
        rank = 0
        for position, row in enumerate(members, start=1):
            if row.score != previous:
                rank, previous = position, row.score
            row.rank, row.of = rank, len(members)
    rows.sort(key=lambda r: (-r.band, r.rank if r.rank is not None else 10**9, str(r.key)))
    return rows


@dataclass(frozen=True)
class Trend(Generic[_K]):
    key: _K
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def growth(self) -> float | None:
        """Relative growth; None when there was nothing before (new)."""
        return None if self.previous == 0 else (self.current - self.previous) / self.previous

    @property
    def growth_percent(self) -> int | None:
        growth = self.growth
        return None if growth is None else round(100 * growth)


def rising(counts: Sequence[tuple[_K, int, int]], min_current: int = 2) -> list[Trend[_K]]:
    """Hot spots: keys whose count rose against the previous period (and reached `min_current`),
    the largest rise first."""
    trends = [Trend(key, current, previous) for key, current, previous in counts
              if current > previous and current >= min_current]
    return sorted(trends, key=lambda t: (-t.change, -(t.growth if t.growth is not None else float("inf")),
                                         str(t.key)))
