"""Figures of a unit for a period, from rollup values: the sum of a flow over the period's months,
a stock's last month, and the rates built from them. Pure (no ORM): dashboards, the Word report,
XLSX and the API all read figures through here, so that they show the same numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from gandan.reports.measures import MEASURES, OUTPUT_PREFIX, is_stock

Values = Mapping[str, Decimal]


def combine(rows: Iterable[tuple[str, str, Decimal]], month_keys: list[str]) -> dict[str, Decimal]:
    """(month, measure, value) rows of one unit → measure → value over the months given."""
    last = month_keys[-1] if month_keys else ""
    wanted = set(month_keys)
    found: dict[str, Decimal] = {}
    for month, measure, value in rows:
        if month not in wanted or (is_stock(measure) and month != last):
            continue
        found[measure] = found.get(measure, Decimal(0)) + value
    return found


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(float(100 * self.numerator / self.denominator), 1)


# Each rate: (code, numerator measure, denominator measure).
RATES = {
    "coverage": [("villages_coverage", "villages_covered", "villages"),
                 ("households_coverage", "households_covered", "households"),
                 ("communes_coverage", "communes_covered", "communes")],
    "fieldwork": [("quota_compliance", "cadres_meeting_quota", "cadres_with_quota")],
    "concerns": [("response_rate", "concerns_responded", "concerns_received"),
                 ("on_time_rate", "concerns_resolved_on_time", "concerns_settled"),
                 ("satisfaction_rate", "concerns_satisfied", "concerns_rated")],
    "plans": [("tasks_done_rate", "tasks_done", "tasks_due")],
    "campaigns": [],
    "evaluation": [("excellent_rate", "grade_excellent", "graded"), ("failed_rate", "grade_failed", "graded")],
}
BLOCKS = list(RATES)


def measures_of(code: str) -> list[str]:
    """The measures a figure reads: a rate's numerator and denominator, else the measure itself."""
    for rates in RATES.values():
        for rate_code, num, den in rates:
            if rate_code == code:
                return [num, den]
    return [code]


def value(values: Values, measure: str) -> Decimal:
    return values.get(measure, Decimal(0))


def rate(values: Values, numerator: str, denominator: str) -> Ratio:
    return Ratio(value(values, numerator), value(values, denominator))


def block_measures(block: str, values: Iterable[Values] = ()) -> list[str]:
    """The measures a block shows; campaigns add one per output indicator found in `values`."""
    codes = [m.code for m in MEASURES.values() if m.block == block]
    if block == "campaigns":
        outputs = sorted({k for v in values for k in v if k.startswith(OUTPUT_PREFIX)})
        codes += outputs
    return codes
