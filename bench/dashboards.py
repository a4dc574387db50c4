"""Dashboards against the raw GROUP BY (issue 15), and the rebuild of one month's rollups.

For each block the reports' dashboard reads from the rollups (coverage, field work and compliance,
concerns and the three rates, plans, evaluations, campaigns) and for the country, a province and a
commune:

1. the reference: the same set-based GROUP BYs the rebuild runs (reports/measures.py), over the
   source rows of the unit's subtree only (each source filtered by its unit's path, so a commune's
   reference scans its commune's rows, not its province's), summed over the subtree;
2. the candidate: what the dashboard reads, `reports.queries.rollups_of` for the block's measures
   (for the country: the provinces' rows, summed);
3. the two must agree measure by measure (`FiguresDiffer` otherwise: the bench stops), then both are
   timed, interleaved, `rounds` rounds (the reference once a round, the candidate `CALLS` times),
   medians and the ratio; p95 over every call of the candidate.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CALLS = 20  # candidate calls per round (each a few ms): its median per round, its p95 over all
NOW = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)  # "now" of the overdue counts, for both sides


class FiguresDiffer(AssertionError):
    """The rollups and the raw GROUP BY disagree: the bench must not time a wrong figure."""


def _subtree_month(first: dt.date, province_ids: list[int] | None, path: str | None) -> Any:
    """A measures.Month whose every source is also filtered to the subtree under `path`."""
    from gandan.assignments.models import Assignment
    from gandan.campaigns.models import CampaignEvent, EventOutput, ExemplaryModel
    from gandan.core.paths import path_q
    from gandan.evaluation.models import Sheet
    from gandan.fieldwork.models import Attendance, Visit, VisitHousehold, VisitUnit
    from gandan.org.models import AdminUnit, Household
    from gandan.people.models import Cadre
    from gandan.petitions.models import Petition, PetitionHolding
    from gandan.plans.models import Plan, Task
    from gandan.reports import measures
    from gandan.reports.periods import add_months

    # the unit each source's row is counted at (measures.py), as a path lookup
    unit_path = {AdminUnit: "path", Household: "village__path", Visit: "cadre__unit__path",
                 VisitUnit: "unit__path", VisitHousehold: "household__village__path", Cadre: "unit__path",
                 Attendance: "cadre__unit__path", Petition: "unit__path", PetitionHolding: "unit__path",
                 Task: "plan__unit__path", Plan: "unit__path", CampaignEvent: "unit__path",
                 EventOutput: "event__unit__path", ExemplaryModel: "unit__path", Sheet: "unit__path",
                 Assignment: None}  # assignments only say who is followed: the outer rows are filtered

    @dataclass(frozen=True)
    class SubtreeMonth(measures.Month):
        path: str | None = None

        def of(self, qs: Any, field: str = "province_id") -> Any:
            qs = super().of(qs, field)
            lookup = unit_path[qs.model]
            return qs if self.path is None or lookup is None else qs.filter(path_q([self.path], lookup))

    return SubtreeMonth(first, add_months(first, 1), NOW, province_ids, path)


def raw_figures(block: str, first: dt.date, unit: Any | None) -> dict[str, Decimal]:
    """The block's figures of `unit` (None: the country) from the source rows, for the month."""
    from gandan.reports import measures

    source = dict(measures.SOURCES)[block]
    month = _subtree_month(first, None if unit is None else [unit.province_id or unit.pk],
                           None if unit is None else unit.path)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _unit_id, measure, value in source(month):
        totals[measure] += value
    return dict(totals)


def block_codes(block: str) -> list[str]:
    from gandan.reports import figures
    from gandan.reports.models import Rollup

    codes = figures.block_measures(block)
    if block == "campaigns":
        from gandan.reports.measures import OUTPUT_PREFIX

        codes += sorted(set(Rollup.objects.filter(measure__startswith=OUTPUT_PREFIX)
                            .values_list("measure", flat=True).distinct()))
    return codes


def rollup_figures(block: str, period: Any, unit: Any | None, provinces: list[Any], codes: list[str]
                   ) -> dict[str, Decimal]:
    """What the dashboard reads: the unit's rollups (the country: its provinces', summed)."""
    from gandan.reports import queries

    units = provinces if unit is None else [unit]
    found = queries.rollups_of(units, period, measures=codes)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for figures in found.values():
        for measure, value in figures.current.items():
            totals[measure] += value
    return dict(totals)


def _agree(block: str, where: str, rolled: dict[str, Decimal], raw: dict[str, Decimal]) -> None:
    keys = set(rolled) | set(raw)
    wrong = {k: (rolled.get(k, Decimal(0)), raw.get(k, Decimal(0))) for k in keys
             if rolled.get(k, Decimal(0)) != raw.get(k, Decimal(0))}
    if wrong:
        raise FiguresDiffer(f"{block} at {where}: rollup ≠ raw GROUP BY for {wrong}")


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def places() -> Iterator[tuple[str, Any]]:
    """The country (None), the province with most households, its commune with most households."""
    from django.db.models import Count

    from gandan.org.models import AdminUnit, Household

    yield "country", None
    top = (Household.objects.order_by().values("province_id").annotate(n=Count("pk")).order_by("-n", "province_id")
           .first())
    if top is None:
        return
    yield "province", AdminUnit.objects.get(pk=top["province_id"])
    village = (Household.objects.filter(province_id=top["province_id"]).order_by().values("village__parent_id")
               .annotate(n=Count("pk")).order_by("-n", "village__parent_id").first())
    if village is not None:
        yield "commune", AdminUnit.objects.get(pk=village["village__parent_id"])


def measure_dashboards(first: dt.date, rounds: int) -> dict[str, Any]:
    from gandan.org.models import AdminUnit
    from gandan.reports import measures
    from gandan.reports.periods import Period

    period = Period("month", first, 1)
    provinces = list(AdminUnit.objects.filter(level__code="province"))
    result: dict[str, Any] = {"month": f"{first:%Y-%m}"}
    for where, unit in places():
        for block, _source in measures.SOURCES:
            codes = block_codes(block)

            def candidate(block: str = block, unit: Any = unit, codes: list[str] = codes) -> dict[str, Decimal]:
                return rollup_figures(block, period, unit, provinces, codes)

            def reference(block: str = block, unit: Any = unit) -> dict[str, Decimal]:
                return raw_figures(block, first, unit)

            rolled, raw = candidate(), reference()
            _agree(block, where, rolled, raw)
            ref_ms, cand_ms, every = [], [], []
            for _round in range(rounds):
                ref_ms.append(_timed(reference))
                calls = [_timed(candidate) for _ in range(CALLS)]
                every += calls
                cand_ms.append(statistics.median(calls))
            ref, cand = statistics.median(ref_ms), statistics.median(cand_ms)
            result[f"{where}/{block}"] = {
                "unit": None if unit is None else unit.name, "rollup_ms": cand, "raw_ms": ref,
                "ratio": ref / cand if cand else 0.0, "rollup_p95_ms": _p95(every),
                "figures": {k: str(v) for k, v in sorted(rolled.items())}, "agree": True,
                "rounds": {"raw_ms": ref_ms, "rollup_ms": cand_ms}}
    return result


def measure_rebuild(first: dt.date) -> dict[str, Any]:
    """`rollups rebuild` of one month for every province, with the time of each source."""
    from gandan.reports.rollup import rebuild_month

    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    rows = rebuild_month(first, now=NOW, step=lambda name: marks.append((name, time.perf_counter())))
    total = time.perf_counter() - t0
    steps, last = {}, t0
    for name, at in marks:
        steps[name] = at - last
        last = at
    steps["write"] = total - sum(steps.values())
    return {"month": f"{first:%Y-%m}", "rows": rows, "seconds": total, "steps_s": steps}
