"""(a) kill -9 the app servers (gunicorn's master and every worker) during a burst of visit and concern
writes, clients retrying with the same UUIDs: exactly one row per UUID, every acknowledged write in
the database, and the audit chain verifies."""

from __future__ import annotations

import threading
import time

from faults.client import Tally
from faults.load import Places, check_rows, run_writers, writes
from faults.outcome import Outcome
from faults.procs import port_open, wait_for
from faults.world import World

VISITS, CONCERNS, THREADS, KILLS, BOUND = 45, 15, 4, 3, 170
SERVE_BEFORE_KILL = 2.0  # seconds of writes served between a restart and the next kill


def run(world: World, out: Outcome) -> None:
    places = Places.of(world.client())
    items = writes(places, VISITS, CONCERNS)
    tally = Tally()
    start = time.monotonic()
    done = threading.Event()
    kills: list[float] = []

    def killer() -> None:
        probe = world.client(start=start)
        for _ in range(KILLS):
            if done.wait(SERVE_BEFORE_KILL):
                return
            world.app.kill9()
            kills.append(time.monotonic() - start)
            time.sleep(0.5)
            world.app.start(wait=False)
            wait_for(lambda: port_open(world.app.port), timeout=60, what="gunicorn after kill -9")
            wait_for(lambda: probe.call("GET", "/health/").ok, timeout=90, what="the app after kill -9")

    fault = threading.Thread(target=killer, daemon=True)
    fault.start()
    run_writers(lambda: world.client(start=start), items, tally, threads=THREADS, until=start + BOUND)
    done.set()
    fault.join(70)
    took = time.monotonic() - start
    out.load = (f"{THREADS} clients, {VISITS} visits ({VISITS // 3} with a concern) and {CONCERNS} concerns, "
                f"sent until acknowledged: {len(items)} writes in {took:.1f} s")
    out.faults = f"{len(kills)} × kill -9 of gunicorn's master and workers at " + \
                 ", ".join(f"{t:.1f} s" for t in kills) + \
                 f", each restarted 0.5 s later and killed again {SERVE_BEFORE_KILL:.0f} s after it served"
    out.requests, out.errors = tally.requests, tally.errors()
    rows = check_rows(world.pg.sql, items)
    out.rows_lost = rows.lost
    out.check("every write acknowledged within the bound", rows.acknowledged == len(items),
              f"{rows.acknowledged} of {len(items)}")
    out.check("every acknowledged UUID has its row", not rows.missing, ", ".join(rows.missing[:3]))
    out.check("exactly one row per UUID (retries wrote nothing twice)", not rows.duplicated,
              ", ".join(rows.duplicated[:3]) or f"{len(items)} UUIDs, {len(items) + VISITS // 3} rows")
    out.check("the faults hit the burst", len(kills) == KILLS and tally.errors() != {},
              f"{sum(tally.errors().values())} failed calls retried")
    leaks = [k for k in tally.kinds if k.startswith("leak_")]
    out.check("no stack trace in any answer", not leaks, ", ".join(leaks))
    verify = world.gandan("audit", "verify", "-v0")
    out.check("gandan audit verify", verify.returncode == 0, (verify.stdout + verify.stderr).strip()[-160:])
