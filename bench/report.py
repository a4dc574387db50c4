"""The lines `make bench` prints for the dashboards, the rebuild, the evaluation month and the imports
(the write path's and the audit's are in national.py), and the figures of a kept database."""

from __future__ import annotations

from typing import Any

WIDTH = 58


def _row(name: str, cand: float, ref: float | None = None, ratio: float | None = None, fmt: str = ",.0f") -> str:
    ref_text = "" if ref is None else format(ref, fmt)
    ratio_text = "" if ratio is None else (f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}")
    return f"{name:{WIDTH}}{format(cand, fmt):>14}{ref_text:>14}{ratio_text:>8}"


def import_lines(im: dict[str, Any]) -> list[str]:
    lines = [_row(f"households import {im['rows']:,} rows: CSV vs raw COPY, rows/s", im["csv_import"],
                  im["raw_copy"], im["ratio"]),
             _row(f"households import {im['xlsx_rows']:,} rows from XLSX, rows/s", im["xlsx_import"])]
    for size, m in im.get("xlsx_memory", {}).items():
        lines.append(_row(f"  XLSX {int(size):,} rows: peak RSS MB (added by the import)", m["peak_rss_mb"],
                          m["added_mb"], fmt=",.1f"))
    return lines


def dashboard_lines(db: dict[str, Any], rebuild: dict[str, Any] | None) -> list[str]:
    lines = [f"dashboards {db['month']}: rollups vs raw GROUP BY (figures checked equal), ms"]
    for key, d in db.items():
        if isinstance(d, dict):
            lines.append(_row(f"  {key} (p95 {d['rollup_p95_ms']:.1f} ms)", d["rollup_ms"], d["raw_ms"], d["ratio"],
                              fmt=",.1f"))
    if rebuild:
        lines.append(_row(f"rollups rebuild {rebuild['month']}, every province: s ({rebuild['rows']:,} rows)",
                          rebuild["seconds"], fmt=",.1f"))
    return lines


def evaluation_lines(ev: dict[str, Any]) -> list[str]:
    return [_row(f"evaluation {ev['month']}: open + pre-fill {ev['sheets']:,} sheets, s", ev["open_s"], fmt=",.1f"),
            _row(f"  rank {ev['agencies_ranked']:,} agencies (one leader per province), s", ev["rank_s"], fmt=",.2f"),
            _row("  ms per cadre (open + rank)", ev["per_cadre_ms"], fmt=",.3f"),
            _row("  extrapolated to 2,000,000 cadres, s (target 30)", ev["extrapolated_2m_cadres_s"], fmt=",.0f")]


def measure_kept() -> dict[str, Any]:
    """The sizes of a database a previous run generated (BENCH_REUSE=1: no gen this time)."""
    from gandan.fieldwork.models import Visit
    from gandan.org.models import AdminUnit, Household
    from gandan.people.models import Cadre

    provinces = Household.objects.values("province_id").distinct().count()
    communes = AdminUnit.objects.filter(level__code="village").values("parent_id").distinct().count()
    tables = {"households": Household.objects.count(), "cadres": Cadre.objects.count(),
              "visits": Visit.objects.count()}
    return {"reused": True, "provinces": provinces, "communes": communes, "total_s": 0.0,
            "tables": {k: {"rows": n, "seconds": 0.0} for k, n in tables.items()}}


def analyze() -> float:
    """ANALYZE after gen: COPY leaves the planner without statistics until autovacuum runs, and the
    bench's server may run without it (this machine's does): the seconds it took."""
    import time

    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0
