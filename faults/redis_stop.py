"""(c) stop Redis mid-load: the site keeps serving (pages of a signed-in session, the API), logins are
refused while the throttle cannot count (fail closed) and work again after, a job the app asks for
during the outage is kept in the database (core/outbox.py) and handed to the queue after it, and the
job worker — never restarted — runs jobs again once Redis is back.

Redis is shut down (it writes its append-only file) and started again on the same port."""

from __future__ import annotations

import re
import subprocess
import threading
import time
import uuid

from faults.client import Answer, Client, Tally
from faults.load import API, Places, Write, check_rows, send, visit_body
from faults.outcome import Outcome
from faults.world import World

LOAD, DOWN_AT, DOWN_FOR, GRACE = 40, 10, 15, 2.0
USERNAME, PASSWORD = "canbo.nghiathuan", "GanDan@2026"
JOB = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gandan.settings'); django.setup(); "
       "from gandan.reports.tasks import rebuild_rollups_of; "
       "print('job result', rebuild_rollups_of([]).get(blocking=True, timeout=45))")
_SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gandan.settings'); django.setup(); "
KEEP = _SETUP + ("from gandan.core import outbox; from gandan.reports.tasks import rebuild_rollups_of; "
                 "print('kept', not outbox.enqueue(rebuild_rollups_of, []))")
HAND_OVER = _SETUP + ("from gandan.core import outbox; from gandan.core.models import QueuedJob; "
                      "print('handed', outbox.drain(), 'left', QueuedJob.objects.count())")


def login(world: World, start: float) -> tuple[Client, Answer]:
    """A fresh browser signing in through the login form (its CSRF token first)."""
    client = world.client("anonymous", start=start)
    page = client.call("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body if isinstance(page.body, bytes)
                      else b"")
    if not page.ok or token is None:
        return client, page
    answer = client.call("POST", "/accounts/login/", form={"username": USERNAME, "password": PASSWORD,
                                                           "csrfmiddlewaretoken": token.group(1).decode()},
                         headers={"Referer": f"http://127.0.0.1:{world.app.port}/accounts/login/"})
    if answer.status == 302:
        answer.kind = "ok"
    return client, answer


def job_runs(world: World) -> tuple[bool, str]:
    started = time.monotonic()
    result = world.python(JOB, timeout=60)
    return (result.returncode == 0 and "job result 0" in result.stdout,
            f"in {time.monotonic() - started:.1f} s" if result.returncode == 0 else result.stderr.strip()[-200:])


def run(world: World, out: Outcome) -> None:
    places = Places.of(world.client())
    worker_pid = world.worker.proc.pid if world.worker.proc else 0
    ran_before, before_detail = job_runs(world)
    start = time.monotonic()
    until = start + LOAD
    tally = Tally()
    session, first = login(world, start)
    out.check("signed in before the outage", first.ok, first.kind)
    pages: list[Answer] = []
    logins: list[Answer] = []
    written: list[Write] = []

    def browse() -> None:
        while time.monotonic() < until:
            for path in ("/", f"{API}/petitions?limit=10"):
                pages.append(tally.add(session.call("GET", path)))
            time.sleep(0.3)

    def sign_in() -> None:
        while time.monotonic() < until:
            logins.append(login(world, start)[1])
            time.sleep(1.5)

    def record() -> None:
        client = world.client(start=start)
        n = 0
        while time.monotonic() < until:
            key = str(uuid.uuid4())
            written.append(send(client, Write("visit", key, visit_body(places, key, n, with_concern=n % 2 == 0)),
                                tally, until=until + 20))
            n += 1
            time.sleep(0.5)

    pool = [threading.Thread(target=job, daemon=True) for job in (browse, sign_in, record)]
    for t in pool:
        t.start()
    time.sleep(DOWN_AT)
    down = time.monotonic() - start
    world.redis.stop()
    kept = world.python(KEEP, timeout=30)  # as a merge asks for its rebuild (reports/merges.py)
    time.sleep(max(0.0, down + DOWN_FOR - (time.monotonic() - start)))
    world.redis.start()
    up = time.monotonic() - start
    for t in pool:
        t.join(LOAD + 40)
    ran_after, after_detail = job_runs(world)
    handed = world.python(HAND_OVER, timeout=60)  # what the worker's job of every minute does

    out.load = f"3 clients for {LOAD} s: a signed-in browser (home page, concerns API), visits, a login every 1.5 s"
    out.faults = f"Redis shut down at {down:.1f} s, started again at {up:.1f} s"
    out.requests = tally.requests + len(logins)
    out.errors = {**tally.errors(), **{f"login_{k}": n for k, n in _kinds(logins).items() if k != "ok"}}
    in_outage = [a for a in pages if a.ended >= down and a.at <= up]
    out.check("the site kept serving (every page and API call answered normally)",
              bool(in_outage) and all(a.ok for a in pages),
              _failures(pages) + f", {len(in_outage)} of them during the outage")
    during = [a for a in logins if down + 0.5 <= a.at <= up - 0.5]
    outside = [a for a in logins if not down - 1.5 <= a.at <= up + GRACE]
    out.check("logins refused while Redis was down (fail closed, 503 with Retry-After)",
              bool(during) and all(a.status == 503 and a.headers.get("retry-after") for a in during),
              f"{len(during)} attempts: " + ", ".join(f"{k} {n}" for k, n in _kinds(during).items()))
    out.check("logins work before and after", bool(outside) and all(a.ok for a in outside),
              f"{sum(a.ok for a in outside)} of {len(outside)}")
    still = world.worker.proc is not None and world.worker.proc.alive() and world.worker.proc.pid == worker_pid
    out.check("a job runs before the outage", ran_before, before_detail)
    out.check("jobs resume after it, on the same worker process (not restarted)", ran_after and still,
              f"{after_detail}, worker pid {worker_pid} {'alive' if still else 'gone'}")
    out.check("a job asked for during the outage was kept, then handed to the queue",
              "kept True" in kept.stdout and "handed 1 left 0" in handed.stdout,
              f"{_said(kept)}; {_said(handed)}")
    rows = check_rows(world.pg.sql, written)
    out.rows_lost = rows.lost
    out.check("every acknowledged visit has one row", not rows.missing and not rows.duplicated
              and rows.acknowledged == len(written), f"{rows.acknowledged} of {len(written)}")


def _said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip() or result.stderr.strip()[-120:]


def _kinds(answers: list[Answer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in answers:
        key = "ok" if a.ok else str(a.status or a.kind)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _failures(answers: list[Answer]) -> str:
    bad = [a for a in answers if not a.ok]
    return f"{len(answers)} requests" if not bad else "; ".join(f"{a.at:.1f}s {a.kind}" for a in bad[:4])
