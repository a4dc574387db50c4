"""Warning flags on visits, for a leader's review (never a block): pure functions, no ORM.

A visit is flagged when its GPS position is far from every unit it claims to have visited, when
its cadre recorded implausibly many visits that day, or when it was recorded long after its date.
The measures behind the first and last flags are stored at write time (`gps_distance_m`,
`delay_days`); the day count is counted at read time, since a later sync can change it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

EARTH_RADIUS_M = 6_371_008.8


class Flag(StrEnum):
    GPS_FAR = "gps_far"
    MANY_IN_DAY = "many_in_day"
    LATE = "late"


@dataclass(frozen=True)
class Limits:
    """Thresholds; a deployment may override them with settings.FIELDWORK_FLAGS = {"gps_far_km": 3, …}."""

    gps_far_km: float = 5.0
    max_visits_per_day: int = 8
    late_days: int = 7


def limits_from(overrides: Mapping[str, Any] | None) -> Limits:
    """Limits with the known keys of `overrides` applied (unknown keys are ignored)."""
    known = {f.name: f.type for f in fields(Limits)}
    values = {k: (float(v) if k == "gps_far_km" else int(v)) for k, v in (overrides or {}).items() if k in known}
    return Limits(**values)  # type: ignore[arg-type]  # a float for gps_far_km, ints for the others


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def nearest_distance_m(lat: float | None, lon: float | None,
                       centres: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Distance from the point to the nearest known centre; None without a point or any known centre."""
    if lat is None or lon is None:
        return None
    distances = [haversine_m(lat, lon, clat, clon) for clat, clon in centres if clat is not None and clon is not None]
    return round(min(distances), 1) if distances else None


def visit_flags(*, gps_distance_m: float | None, visits_that_day: int, delay_days: int,
                limits: Limits = Limits()) -> tuple[Flag, ...]:
    """The flags of one visit, in a fixed order."""
    found: list[Flag] = []
    if gps_distance_m is not None and gps_distance_m > limits.gps_far_km * 1000:
        found.append(Flag.GPS_FAR)
    if visits_that_day > limits.max_visits_per_day:
        found.append(Flag.MANY_IN_DAY)
    if delay_days > limits.late_days:
        found.append(Flag.LATE)
    return tuple(found)
