"""The growth table: the same measures of several `make bench` runs (bench/results/*.json) side by
side, one column per scale, and the last column's ratio to the first, so that one sees which costs
stay flat and which grow with the data.

    python -m bench.growth bench/results/national-s0.05-….json bench/results/national-s0.25-….json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def rows_of(result: dict[str, Any]) -> dict[str, float]:
    """measure name → value (ms, s, rows/s) of one run."""
    found: dict[str, float] = {}
    tables = result.get("gen", {}).get("tables", {})
    for name in ("households", "cadres", "visits"):
        if name in tables:
            found[f"{name} (rows)"] = tables[name]["rows"]
    for key, d in result.get("dashboards", {}).items():
        if isinstance(d, dict):
            found[f"dashboard {key}: rollups ms"] = d["rollup_ms"]
            found[f"dashboard {key}: rollups p95 ms"] = d["rollup_p95_ms"]
            found[f"dashboard {key}: raw GROUP BY ms"] = d["raw_ms"]
    if "rebuild" in result:
        found["rollups rebuild of one month, s"] = result["rebuild"]["seconds"]
    ev = result.get("evaluation")
    if ev:
        found["evaluation: open + pre-fill, s"] = ev["open_s"]
        found["evaluation: rank, s"] = ev["rank_s"]
        found["evaluation: ms per cadre"] = ev["per_cadre_ms"]
    im = result.get("import")
    if im:
        found["import CSV rows/s"] = im["csv_import"]
        found["raw COPY rows/s"] = im["raw_copy"]
        found["import CSV / raw COPY"] = im["ratio"]
        found["import XLSX rows/s"] = im["xlsx_import"]
        for size, m in im.get("xlsx_memory", {}).items():
            found[f"XLSX {int(size):,} rows: MB added to RSS"] = m["added_mb"]
    return found


def table(results: list[dict[str, Any]]) -> list[str]:
    results = sorted(results, key=lambda r: r["scale"])
    columns = [rows_of(r) for r in results]
    names = [n for n in columns[-1] if all(n in c for c in columns)]
    head = "| measure | " + " | ".join(f"S = {r['scale']:g}" for r in results) + " | last / first |"
    lines = [head, "|---|" + "---:|" * (len(results) + 1)]
    for name in names:
        values = [c[name] for c in columns]
        growth = values[-1] / values[0] if values[0] else 0.0
        cells = " | ".join(f"{v:,.2f}" if v < 10 else f"{v:,.1f}" if v < 1000 else f"{v:,.0f}" for v in values)
        lines.append(f"| {name} | {cells} | {growth:.2f} |")
    return lines


def main(paths: list[str]) -> None:
    print("\n".join(table([json.loads(Path(p).read_text(encoding="utf-8")) for p in paths])))


if __name__ == "__main__":
    main(sys.argv[1:])
