"""(b) restart PostgreSQL during a 60 s load: errors only in the outage window, each a 503 with a
Retry-After and an error id (never a stack trace), and recovery without restarting gunicorn's workers.

The load is three clients: one reads the concerns list through the API, one reads the health
check, one records visits (retried with their UUID until acknowledged, so none may be lost). The
outage is a fast shutdown, a few seconds down, and a start."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable

from faults.client import Answer, Client, Tally
from faults.load import API, Places, Write, check_rows, send, visit_body
from faults.outcome import Outcome
from faults.world import World

LOAD_SECONDS = int(os.environ.get("FAULTS_LOAD_SECONDS", "60"))
DOWN_AT, DOWN_FOR, GRACE = 0.3, 5.0, 3.0  # outage from 30 % of the load, 5 s down; errors tolerated 3 s after


def reader(client: Client, path: str, tally: Tally, until: float, answers: list[Answer]) -> None:
    while time.monotonic() < until:
        answers.append(tally.add(client.call("GET", path)))
        time.sleep(0.2)


def run(world: World, out: Outcome) -> None:
    places = Places.of(world.client())
    workers_before = sorted(world.app.proc.children()) if world.app.proc else []
    tally = Tally()
    start = time.monotonic()
    until = start + LOAD_SECONDS
    answers: list[Answer] = []
    written: list[Write] = []

    def writer() -> None:
        client = world.client(start=start)
        n = 0
        while time.monotonic() < until:
            uuid_text = str(uuid.uuid4())
            item = Write("visit", uuid_text, visit_body(places, uuid_text, n, with_concern=n % 4 == 0))
            written.append(send(client, item, tally, until=until + 30))
            n += 1
            time.sleep(0.3)

    jobs: list[Callable[[], None]] = [
        lambda: reader(world.client(start=start), f"{API}/petitions?limit=20", tally, until, answers),
        lambda: reader(world.client(start=start), "/health/", tally, until, answers),
        writer,
    ]
    pool = [threading.Thread(target=job, daemon=True) for job in jobs]
    for t in pool:
        t.start()
    time.sleep(LOAD_SECONDS * DOWN_AT)
    down = time.monotonic() - start
    world.pg.stop("fast")
    time.sleep(DOWN_FOR)
    world.pg.start()
    up = time.monotonic() - start
    for t in pool:
        t.join(LOAD_SECONDS + 60)
    workers_after = sorted(world.app.proc.children()) if world.app.proc else []

    out.load = f"3 clients for {LOAD_SECONDS} s: concerns list, health check, visits (retried until acknowledged)"
    out.faults = f"PostgreSQL stopped (fast shutdown) at {down:.1f} s, started again at {up:.1f} s"
    out.requests, out.errors = tally.requests, tally.errors()
    failures = [a for a in tally.failures]
    # An error is in the window when its call overlaps it (a call sent just before may end in it).
    outside = [a for a in failures if a.ended < down or a.at > up + GRACE]
    wrong = [a for a in failures if a.kind != "unavailable"]
    out.check("errors only in the outage window", not outside,
              f"{len(failures)} errors, answered between {min((a.ended for a in failures), default=0):.1f} s "
              f"and {max((a.ended for a in failures), default=0):.1f} s" if not outside else
              "; ".join(f"{a.at:.1f}s {a.kind}" for a in outside[:4]))
    out.check("every error a 503 with Retry-After and an error id", not wrong and bool(failures),
              "; ".join(f"{a.at:.1f}s {a.kind}" for a in wrong[:4]) or f"{len(failures)} × 503")
    sample = next((a for a in failures if isinstance(a.body, dict)), None)
    if sample is not None:
        retry = sample.headers.get("retry-after")
        out.check("the API's 503 body", set(sample.body) == {"detail", "error_id"} and retry == "5",
                  f"{sample.body}, Retry-After {retry}")
    late = [a for a in answers if a.at > up + GRACE]
    out.check("served normally after the restart", bool(late) and all(a.ok for a in late), f"{len(late)} reads")
    out.check("no gunicorn worker restarted", workers_before == workers_after and bool(workers_before),
              f"workers {workers_before} before, {workers_after} after")
    rows = check_rows(world.pg.sql, written)
    out.rows_lost = rows.lost
    out.check("every acknowledged visit has one row", not rows.missing and not rows.duplicated,
              f"{rows.acknowledged} of {len(written)} acknowledged")
