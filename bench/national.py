"""`make bench`: national scale, measured side by side on PostgreSQL (issue 15).

    BENCH_SCALE=0.05 BENCH_PROVINCES=8 BENCH_ROUNDS=3 BENCH_SECONDS=4 python -m bench.national

It builds a throwaway database next to DATABASE_URL's (`<name>_bench`, dropped at the end unless
BENCH_KEEP=1), loads the real units, runs `gandan gen --scale BENCH_SCALE --provinces BENCH_PROVINCES` (the scale
spread over 8 provinces, so that writers of different provinces can be measured), then measures, each
candidate beside its reference in the same run, interleaved, BENCH_ROUNDS rounds, medians:
- the write path: POST /api/v1/fieldwork/visits with a token against a bare Django view doing one
  idempotent INSERT, at 1 and 8 connections (processes; the 8 writers in one commune, then in 8
  provinces), with the statements a create runs;
- audited writes with 8 workers on 8 provinces against 8 workers on one chain (the old national
  queue), with the share of busy connections waiting on a lock, sampled from pg_locks;
- gen: rows and seconds per table;
- importing households from CSV against a raw COPY into a staging table and one INSERT … SELECT.
Prints one table and writes the figures as JSON to bench/results/ (gitignored). Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.dashboards import measure_dashboards, measure_rebuild
from bench.evaluation_month import measure_evaluation_month
from bench.imports import measure_import
from bench.report import analyze, dashboard_lines, evaluation_lines, import_lines, measure_kept

RESULTS = Path(__file__).resolve().parent / "results"
WORKERS = 8
# BENCH_SECTIONS picks some of them (gen always runs, unless BENCH_REUSE=1 measures a kept database)
SECTIONS = ("write_path", "audit", "evaluation", "dashboards", "import")


# -- the throwaway database ---------------------------------------------------------------------------
def _bench_url(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "gandan"
    bench = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{bench}")), urlunsplit(parts._replace(path="/postgres")), bench


def _admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _setup(reuse: bool = False) -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/name")
    bench_url, admin_url, name = _bench_url(url)
    if not reuse:  # BENCH_REUSE=1: measure again on the database a BENCH_KEEP=1 run left
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(admin_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("GANDAN_VAR_DIR", tempfile.mkdtemp(prefix="gandan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    os.environ.setdefault("GANDAN_ENV", "test")
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return admin_url, name


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _p(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- workers (forked processes, each with its own connection) -------------------------------------------
def _run_workers(target: Any, args_per_worker: list[tuple[Any, ...]], sampler: Any = None) -> list[Any]:
    from django.db import connections

    connections.close_all()  # children open their own
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    start = ctx.Event()
    procs = [ctx.Process(target=target, args=(queue, start, *args)) for args in args_per_worker]
    for proc in procs:
        proc.start()
    time.sleep(0.5)
    stop = threading.Event()
    samples: list[Any] = []
    thread = threading.Thread(target=sampler, args=(stop, samples)) if sampler else None
    if thread:
        thread.start()
    start.set()
    results = [queue.get() for _ in procs]
    stop.set()
    if thread:
        thread.join()
    for proc in procs:
        proc.join()
    return [results, samples]


def _http_worker(queue: Any, start: Any, kind: str, token: str, payloads: list[dict[str, Any]],
                 seconds: float) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}") if kind == "app" else Client()
    path = "/api/v1/fieldwork/visits" if kind == "app" else "/bench/bare"
    # Warm up: the first call of a process imports and connects.
    client.post(path, json.dumps(payloads[0]), content_type="application/json")
    start.wait()
    latencies, statuses = [], {}
    began = time.perf_counter()
    for body in payloads[1:]:
        if time.perf_counter() - began >= seconds:
            break
        t0 = time.perf_counter()
        response = client.post(path, json.dumps(body), content_type="application/json")
        latencies.append((time.perf_counter() - t0) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    queue.put({"n": len(latencies), "seconds": time.perf_counter() - began, "latencies": latencies,
               "statuses": statuses})


def _audit_worker(queue: Any, start: Any, province_id: int, seconds: float) -> None:
    from django.db import transaction

    from gandan.core import audit

    start.wait()
    n, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        with transaction.atomic():
            audit.record(actor=None, action="bench.write", object_type="bench", object_id=str(n),
                         province_id=province_id, after={"n": n})
        n += 1
    queue.put({"n": n, "seconds": time.perf_counter() - began})


def _lock_sampler(stop: threading.Event, samples: list[tuple[int, int]]) -> None:
    """(connections waiting on a lock, busy connections), every 20 ms, from pg_locks/pg_stat_activity."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        while not stop.is_set():
            row = conn.execute(
                "SELECT (SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted),"
                " (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                "  AND state <> 'idle' AND pid <> pg_backend_pid())").fetchone()
            samples.append((int(row[0]), int(row[1])))
            time.sleep(0.02)


# -- the measures ---------------------------------------------------------------------------------------
def measure_gen(scale: float, provinces: int) -> dict[str, Any]:
    from django.core.management import call_command

    from gandan.core.progress import progress_bar
    from gandan.demo.gen import generate

    t0 = time.perf_counter()
    call_command("load_units", verbosity=0)
    load = time.perf_counter() - t0
    summary = generate(scale=scale, seed=1, bar=lambda total, desc: progress_bar(total, desc), provinces=provinces)
    return {"load_units_s": load, "total_s": summary.seconds, "provinces": summary.provinces,
            "communes": summary.communes, "tables": {k: {"rows": r, "seconds": s} for k, (r, s) in
                                                      summary.tables.items()}}


def _writers(spread: bool) -> list[tuple[str, dict[str, Any]]]:
    """WORKERS cadres with accounts, grants and tokens, and a village each may record at: all of one
    commune, or (spread) one in each of WORKERS provinces."""
    from gandan.org.models import AdminUnit
    from gandan.people.models import Cadre, Role, RoleGrant, User
    from gandan.people.tokens import token_create

    villages = AdminUnit.objects.filter(level__code="village").order_by("id")
    if spread:
        firsts = {}
        for village in villages:
            firsts.setdefault(village.province_id, village)
        pairs = [(v, Cadre.objects.filter(unit_id=v.parent_id).order_by("-id").first()) for v in firsts.values()]
    else:
        village = villages.first()
        assert village is not None, "gen wrote no village"
        pairs = [(village, c) for c in Cadre.objects.filter(unit_id=village.parent_id).order_by("id")[:WORKERS]]
    out = []
    for village, cadre in pairs[:WORKERS]:
        user, _new = User.objects.get_or_create(username=f"bench{cadre.pk}", cadre=cadre)
        RoleGrant.objects.get_or_create(user=user, role=Role.CADRE, unit_id=village.parent_id)
        _token, key = token_create(actor=user, name="bench")
        out.append((key, {"village": village.pk}))
    return out


def _payloads(village: int, count: int) -> list[dict[str, Any]]:
    from django.utils import timezone

    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    return [{"client_uuid": str(uuid.uuid4()), "date": day, "kind": "working_visit", "unit_ids": [village],
             "findings": {"security": "Ổn định"}, "notes": "Họp dân thôn."} for _ in range(count)]


def measure_write_path(rounds: int, seconds: float) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.urls import BARE_TABLE

    with connection.cursor() as cursor:
        cursor.execute(BARE_TABLE)
    writers = _writers(spread=False)
    spread = _writers(spread=True)
    key, place = writers[0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.post("/api/v1/fieldwork/visits", json.dumps(_payloads(place["village"], 1)[0]),
                content_type="application/json")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/fieldwork/visits", json.dumps(_payloads(place["village"], 1)[0]),
                               content_type="application/json")
    assert response.status_code == 201, response.content
    result: dict[str, Any] = {"statements_per_create": len(ctx.captured_queries)}
    per_request = 4000
    cases = [("1_connections", 1, writers), (f"{WORKERS}_connections", WORKERS, writers)]
    if len(spread) == WORKERS:
        cases.append((f"{WORKERS}_connections_{WORKERS}_provinces", WORKERS, spread))
    for label, conns, who in cases:
        runs: dict[str, list[dict[str, float]]] = {"bare": [], "app": []}
        for _round in range(rounds):
            for kind in ("bare", "app"):  # interleaved: the reference, then the candidate, each round
                args = [(kind, who[i % len(who)][0], _payloads(who[i % len(who)][1]["village"], per_request),
                         seconds) for i in range(conns)]
                done, _samples = _run_workers(_http_worker, args)
                n = sum(d["n"] for d in done)
                wall = max(d["seconds"] for d in done)
                latencies = [x for d in done for x in d["latencies"]]
                bad = {s: c for d in done for s, c in d["statuses"].items() if s not in (200, 201)}
                runs[kind].append({"rps": n / wall, "p50_ms": _p(latencies, 0.5), "p99_ms": _p(latencies, 0.99),
                                   "errors": sum(bad.values())})
        summary = {kind: {m: _median([r[m] for r in rs]) for m in ("rps", "p50_ms", "p99_ms", "errors")}
                   for kind, rs in runs.items()}
        summary["ratio"] = summary["app"]["rps"] / summary["bare"]["rps"] if summary["bare"]["rps"] else 0.0
        summary["rounds"] = runs  # type: ignore[assignment]
        result[label] = summary
    return result


def measure_audit(rounds: int, seconds: float) -> dict[str, Any]:
    from gandan.org.models import AdminUnit

    provinces = list(AdminUnit.objects.filter(level__code="province").order_by("id")
                     .values_list("id", flat=True)[:WORKERS])
    runs: dict[str, list[dict[str, float]]] = {"one_chain": [], "per_province": []}
    for _round in range(rounds):
        for case in ("one_chain", "per_province"):
            ids = [provinces[0]] * WORKERS if case == "one_chain" else provinces
            done, samples = _run_workers(_audit_worker, [(pid, seconds) for pid in ids], sampler=_lock_sampler)
            n = sum(d["n"] for d in done)
            busy = [s for s in samples if s[1]]
            waiting = sum(w for w, _b in busy) / max(1, sum(b for _w, b in busy))
            runs[case].append({"tps": n / max(d["seconds"] for d in done), "lock_wait_share": waiting})
    summary: dict[str, Any] = {case: {m: _median([r[m] for r in rs]) for m in ("tps", "lock_wait_share")}
                               for case, rs in runs.items()}
    summary["ratio"] = (summary["per_province"]["tps"] / summary["one_chain"]["tps"]
                        if summary["one_chain"]["tps"] else 0.0)
    summary["rounds"] = runs
    return summary


# -- the report -----------------------------------------------------------------------------------------
def _table(results: dict[str, Any]) -> list[str]:
    lines = [f"scale {results['scale']:g} on PostgreSQL; {results['rounds']} rounds, medians; "
             f"{results['gen']['provinces']} province(s), {results['gen']['communes']} communes",
             f"{'measure':58}{'candidate':>14}{'reference':>14}{'ratio':>8}"]

    def row(name: str, cand: float, ref: float | None = None, ratio: float | None = None, fmt: str = ",.0f") -> None:
        ref_text = "" if ref is None else format(ref, fmt)
        ratio_text = "" if ratio is None else f"{ratio:.2f}"
        lines.append(f"{name:58}{format(cand, fmt):>14}{ref_text:>14}{ratio_text:>8}")

    if "write_path" in results:
        wp = results["write_path"]
        row("statements per visit create", wp["statements_per_create"])
        for label in (k for k in wp if k.endswith(("connections", "provinces"))):
            s = wp[label]
            row(f"visit create vs bare INSERT view, {label.replace('_', ' ')}: req/s", s["app"]["rps"],
                s["bare"]["rps"], s["ratio"])
            row("  p50 ms", s["app"]["p50_ms"], s["bare"]["p50_ms"], fmt=".1f")
            row("  p99 ms", s["app"]["p99_ms"], s["bare"]["p99_ms"], fmt=".1f")
    if "audit" in results:
        au = results["audit"]
        row("audited writes, 8 workers: 8 provinces vs one chain, tx/s", au["per_province"]["tps"],
            au["one_chain"]["tps"], au["ratio"])
        row("  share of busy connections waiting on a lock", au["per_province"]["lock_wait_share"],
            au["one_chain"]["lock_wait_share"], fmt=".2f")
    if "import" in results:
        lines += import_lines(results["import"])
    if "dashboards" in results:
        lines += dashboard_lines(results["dashboards"], results.get("rebuild"))
    if "evaluation" in results:
        lines += evaluation_lines(results["evaluation"])
    for table, figures in results["gen"]["tables"].items():
        if figures["seconds"]:
            row(f"gen {table}: rows (seconds)", figures["rows"], figures["seconds"], fmt=",.0f")
    row("gen total seconds", results["gen"]["total_s"], fmt=".1f")
    return lines


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "0.05"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    seconds = float(os.environ.get("BENCH_SECONDS", "4"))
    reuse = bool(os.environ.get("BENCH_REUSE"))
    admin_url, name = _setup(reuse)
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        results: dict[str, Any] = {"scale": scale, "rounds": rounds, "seconds_per_sample": seconds,
                                   "at": dt.datetime.now(dt.UTC).isoformat()}
        sections = os.environ.get("BENCH_SECTIONS", ",".join(SECTIONS)).split(",")
        if reuse:
            results["gen"] = measure_kept()
        else:
            results["gen"] = measure_gen(scale, int(os.environ.get("BENCH_PROVINCES", str(WORKERS))))
        results["analyze_s"] = analyze()
        if "write_path" in sections:
            results["write_path"] = measure_write_path(rounds, seconds)
        if "audit" in sections:
            results["audit"] = measure_audit(rounds, seconds)
        # a month after the communes' reform of 1 July 2025 (gen writes 2025 on the new communes)
        first = dt.date(int(os.environ.get("BENCH_YEAR", "2025")), int(os.environ.get("BENCH_MONTH", "10")), 1)
        if "evaluation" in sections:
            results["evaluation"] = measure_evaluation_month(first)
        if "dashboards" in sections:
            results["rebuild"] = measure_rebuild(first)
            results["dashboards"] = measure_dashboards(first, rounds)
        if "import" in sections:
            results["import"] = measure_import(rounds)
        lines = _table(results)
        print("\n".join(lines))
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"national-s{scale:g}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"→ {out}")
    finally:
        from django.db import connections

        connections.close_all()
        if not (os.environ.get("BENCH_KEEP") or reuse):
            _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
