"""The bounded failure test (`python -m cluster test`, `make cluster-test`; not in CI).

1. Up: the whole cluster, from nothing (topology.up).
2. Writes: WRITERS threads record CLUSTER_WRITES visits through nginx with the demo cadre's token,
   each with its own client_uuid, retried with the same uuid on a refused connection, a 502/503/504
   or a timeout (what a phone's offline sync does). Meanwhile jobs are queued on Redis: a rebuild of
   each province's rollups; after the writes, a refresh of the running month's.
3. Faults: once a third of the writes are answered, one app server is killed (SIGKILL, its whole
   process group); once the first job has finished, one huey consumer too.
4. Checks: every answered write is in the primary exactly once (and its audit event once), a resend
   of some answered writes gives back the same visit; the replica catches up (the same rows, its
   replay LSN past the primary's LSN at the end of the writes); every job finishes. huey takes a job
   off Redis before running it, so a job running in a killed consumer is lost: jobs are idempotent,
   and the test enqueues again each one without a result once the queue is empty and the living
   consumers idle — and says how many. Then the router in the real topology: a browser signed in
   through nginx reads the dashboard from the replica, and after a write of its own from the primary.
5. Figures, then down (unless --keep). Exit status 1 if a check fails.
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.cookies
import json
import os
import signal
import statistics
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from cluster import topology

WRITES = int(os.environ.get("CLUSTER_WRITES", 300))
WRITERS = int(os.environ.get("CLUSTER_WRITERS", 4))
RESENDS = 20
ATTEMPTS = 30
PATH = "/api/v1/fieldwork/visits"


@dataclass
class Outcome:
    client_uuid: str
    body: dict[str, Any]
    status: int = 0
    visit_id: int | None = None
    attempts: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


class Writer:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        self.conn.request("POST", PATH, json.dumps(body), {
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data or b"{}")
        except ValueError:
            return response.status, {}

    def send(self, outcome: Outcome) -> Outcome:
        started = time.monotonic()
        for attempt in range(1, ATTEMPTS + 1):
            outcome.attempts = attempt
            try:
                status, data = self.post(outcome.body)
            except (OSError, http.client.HTTPException) as exc:
                outcome.failures.append(type(exc).__name__)
                self.close()
                time.sleep(min(0.05 * attempt, 1.0))
                continue
            if status in (502, 503, 504):
                outcome.failures.append(str(status))
                time.sleep(min(0.05 * attempt, 1.0))
                continue
            outcome.status, outcome.visit_id = status, data.get("id")
            if status not in (200, 201):
                outcome.failures.append(f"{status} {data}")
            break
        outcome.seconds = time.monotonic() - started
        return outcome

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Browser:
    """A signed-in browser through nginx: cookies kept by hand, the CSRF token sent back."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, http.cookies.SimpleCookie()

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies["csrftoken"].value}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response.status, text


def dashboard_reads(state: dict[str, Any], replica: Any) -> dict[str, Any]:
    """The router in the real topology: the dashboard's queries reach the replica (pg_stat_activity
    there shows them), and after a write the same browser's dashboard reads the primary only."""
    from gandan.people.testing import PASSWORD

    def replica_queries_during(path: str) -> int:
        before = replica.sql("SELECT now()")[0][0]
        status, _ = browser.request("GET", path)
        assert status == 200, f"GET {path}: {status}"
        return replica.sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{topology.DB}' "
                           f"AND query_start > '{before.isoformat()}' AND pid <> pg_backend_pid()")[0][0]

    browser = Browser(state["ports"]["nginx"])
    browser.request("GET", "/accounts/login/")
    status, _ = browser.request("POST", "/accounts/login/", {"username": "province_committee", "password": PASSWORD})
    assert status == 302, f"login: {status}"
    browser.request("GET", "/")  # the first page after login; any pin from the login POST ends below
    browser.cookies.pop("gandan_primary", None)
    fresh = replica_queries_during("/reports/")
    browser.request("POST", "/i18n/setlang/", {"language": "vi", "next": "/"})  # a write: pins to the primary
    pinned = replica_queries_during("/reports/") if "gandan_primary" in browser.cookies else -1
    return {"dashboard_replica_backends": fresh, "dashboard_after_write_replica_backends": pinned}


def _django(state: dict[str, Any]) -> None:
    """This process talks to the primary (and Redis) itself, with the app's own settings."""
    os.environ.update(topology.app_env(state, direct=True))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gandan.settings"
    import django

    django.setup()


def _lsn_bytes(text: str) -> int:
    hi, lo = text.split("/")
    return (int(hi, 16) << 32) + int(lo, 16)


def run(state: dict[str, Any], deadline: float) -> dict[str, Any]:
    _django(state)
    from huey.contrib.djhuey import HUEY

    from cluster.launcher import Postgres
    from gandan.core.audit import verify_chain
    from gandan.core.models import AuditEvent
    from gandan.fieldwork.models import Visit
    from gandan.org.models import AdminUnit
    from gandan.reports.models import Rollup
    from gandan.reports.tasks import rebuild_rollups_of, refresh_current_rollups

    seed, ports = state["seed"], state["ports"]
    primary = Postgres(topology.ROOT / "pg-primary", ports["primary"])
    replica = Postgres(topology.ROOT / "pg-replica", ports["replica"])
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    outcomes = [Outcome(str(u), {"client_uuid": str(u), "date": today.isoformat(), "kind": "working_visit",
                                 "unit_ids": [seed["unit_id"]], "notes": f"cluster test {i}"})
                for i, u in enumerate(uuid.uuid4() for _ in range(WRITES))]
    figures: dict[str, Any] = {"writes": WRITES, "writers": WRITERS, "app_servers": len(ports["apps"]),
                               "workers": sum(1 for n in state["services"] if n.startswith("worker"))}
    events: list[str] = []
    t0 = time.monotonic()

    # Jobs, all idempotent: a rebuild of each province's months now, and once the writes are done a
    # refresh of the running month's rollups (a periodic job: huey keeps no result of those, so the
    # rollup of the visits written tells it ran).
    provinces = list(AdminUnit.objects.filter(level__code="province").values_list("pk", flat=True))
    results: dict[int, Any] = {pid: rebuild_rollups_of([pid]) for pid in provinces}
    figures["jobs"] = 1 + len(results)

    # Writes, with the kills.
    lock, answered, cursor = threading.Lock(), [0], [0]
    app_killed = threading.Event()

    def writer_loop() -> None:
        writer = Writer(ports["nginx"], seed["token"])
        while time.monotonic() < deadline:
            with lock:
                if cursor[0] >= len(outcomes):
                    break
                outcome = outcomes[cursor[0]]
                cursor[0] += 1
            writer.send(outcome)
            with lock:
                answered[0] += 1
                if answered[0] >= WRITES // 3 and not app_killed.is_set():
                    app_killed.set()
                    topology.service(state, "app1").kill()
                    events.append(f"{time.monotonic() - t0:.1f} s: app1 killed (SIGKILL) after "
                                  f"{answered[0]} answered writes")
        writer.close()

    def job_killer() -> None:
        while time.monotonic() < deadline and all(r.get(preserve=True) is None for r in results.values()):
            time.sleep(0.05)
        topology.service(state, "worker2").kill()
        events.append(f"{time.monotonic() - t0:.1f} s: worker2 killed (SIGKILL), "
                      f"{HUEY.pending_count()} jobs still queued")

    threads = [threading.Thread(target=writer_loop) for _ in range(WRITERS)] + [threading.Thread(target=job_killer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline - time.monotonic()))
    write_seconds = time.monotonic() - t0
    end_lsn = primary.sql("SELECT pg_current_wal_lsn()::text")[0][0]
    acked = [o for o in outcomes if o.status in (200, 201)]
    latencies = sorted(o.seconds for o in acked)
    figures.update({
        "answered": len(acked), "created_201": sum(o.status == 201 for o in acked),
        "found_on_retry_200": sum(o.status == 200 for o in acked),
        "unanswered": [o.client_uuid for o in outcomes if o.status not in (200, 201)][:5],
        "unanswered_count": sum(o.status not in (200, 201) for o in outcomes),
        "retried_writes": sum(o.attempts > 1 for o in outcomes),
        "failed_attempts": sum(len(o.failures) for o in outcomes),
        "failure_kinds": sorted({f for o in outcomes for f in o.failures}),
        "write_seconds": round(write_seconds, 1), "writes_per_second": round(len(acked) / write_seconds, 1),
        "p50_ms": round(1000 * statistics.median(latencies)) if latencies else None,
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))]) if latencies else None,
        "max_ms": round(1000 * latencies[-1]) if latencies else None,
    })

    # Resend some answered writes, as a phone that never saw the answer: the same visit comes back.
    writer = Writer(ports["nginx"], seed["token"])
    same = 0
    for o in acked[:RESENDS]:
        again = writer.send(Outcome(o.client_uuid, o.body))
        same += again.status == 200 and again.visit_id == o.visit_id
    writer.close()
    figures["resent"], figures["resent_same_visit"] = min(RESENDS, len(acked)), same

    # Nothing lost, nothing doubled, on the primary.
    sent = [o.client_uuid for o in outcomes]
    rows = list(Visit.objects.filter(client_uuid__in=sent).values_list("client_uuid", "pk"))
    per_uuid: dict[str, int] = {}
    for u, _pk in rows:
        per_uuid[str(u)] = per_uuid.get(str(u), 0) + 1
    ids = {str(pk) for _u, pk in rows}
    audit = AuditEvent.objects.filter(action="visit.record", object_id__in=ids)
    audit_per_visit: dict[str, int] = {}
    for object_id in audit.values_list("object_id", flat=True):
        audit_per_visit[object_id] = audit_per_visit.get(object_id, 0) + 1
    figures.update({
        "rows_on_primary": len(rows), "doubled": sum(n > 1 for n in per_uuid.values()),
        "answered_but_missing": sum(1 for o in acked if o.client_uuid not in per_uuid),
        "answered_id_differs": sum(1 for o in acked if o.visit_id is not None and str(o.visit_id) not in ids),
        "audit_creations": sum(audit_per_visit.values()),
        "audit_doubled": sum(n > 1 for n in audit_per_visit.values()),
    })

    # The replica catches up.
    caught, lag = False, None
    start = time.monotonic()
    while time.monotonic() < deadline:
        replayed = replica.sql("SELECT pg_last_wal_replay_lsn()::text")[0][0]
        on_replica = replica.sql(f"SELECT count(*) FROM fieldwork_visit WHERE client_uuid::text = ANY(ARRAY{sent!r})",
                                 dbname=topology.DB)[0][0]
        if replayed and _lsn_bytes(replayed) >= _lsn_bytes(end_lsn) and on_replica == len(rows):
            caught, lag = True, time.monotonic() - start
            break
        time.sleep(0.1)
    figures.update({"replica_caught_up": caught, "replica_wait_seconds": round(lag, 2) if lag is not None else None,
                    "replica_rows": on_replica, "primary_lsn_at_end": end_lsn, "replica_replay_lsn": replayed,
                    "replica_lag_bytes_now": primary.sql("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                                                         f"'{replayed}')::bigint")[0][0]})

    # The jobs finish: wait for the queue to drain, then enqueue again what the killed consumer lost.
    refresh_current_rollups()

    def refreshed() -> bool:
        return Rollup.objects.filter(province_id=seed["province_id"], period=today.strftime("%Y-%m")).exists()

    requeued = 0
    for round_ in range(3):
        while time.monotonic() < deadline and HUEY.pending_count() > 0:
            time.sleep(0.2)
        settle = time.monotonic() + 15  # what the living consumers still run
        while time.monotonic() < min(settle, deadline) and (
                any(r.get(preserve=True) is None for r in results.values()) or not refreshed()):
            time.sleep(0.2)
        missing = [pid for pid, r in results.items() if r.get(preserve=True) is None]
        if not missing and refreshed() or round_ == 2:
            break
        lost_refresh = not refreshed()
        requeued += len(missing) + lost_refresh
        if lost_refresh:
            refresh_current_rollups()
        for pid in missing:
            results[pid] = rebuild_rollups_of([pid])
        events.append(f"{time.monotonic() - t0:.1f} s: enqueued again {len(missing)} rebuild(s) without a result"
                      f"{' and the refresh' if lost_refresh else ''}")
    errors = []
    for r in results.values():
        try:
            r.get(preserve=True)
        except Exception as exc:  # huey raises the job's error here  # noqa: BLE001
            errors.append(str(exc)[:200])
    chain = verify_chain()
    figures.update({"audit_chain_ok_at_end": chain.ok, "audit_events_checked": chain.checked,
                    "rollups_refreshed": refreshed()})
    figures.update(dashboard_reads(state, replica))
    figures.update({"jobs_finished": sum(r.get(preserve=True) is not None for r in results.values()) + refreshed(),
                    "jobs_enqueued_again": requeued, "jobs_failed": errors, "events": events,
                    "total_seconds": round(time.monotonic() - t0, 1)})
    figures["ok"] = (figures["unanswered_count"] == 0 and figures["doubled"] == 0
                     and figures["answered_but_missing"] == 0 and figures["answered_id_differs"] == 0
                     and figures["audit_doubled"] == 0 and figures["resent_same_visit"] == figures["resent"]
                     and caught and figures["jobs_finished"] == figures["jobs"] and not errors and chain.ok
                     and figures["dashboard_replica_backends"] > 0
                     and figures["dashboard_after_write_replica_backends"] == 0)
    return figures


def _print(figures: dict[str, Any]) -> None:
    print("\nKết quả / results")
    for key, value in figures.items():
        if key == "events":
            for line in value:
                print(f"  {'event':28} {line}")
        else:
            print(f"  {key:28} {value}")
    print("ĐẠT / PASSED" if figures.get("ok") else "KHÔNG ĐẠT / FAILED")


def main(*, keep: bool, seconds: float) -> int:
    def overtime(signum: int, frame: Any) -> None:
        raise TimeoutError(f"cluster test over its {seconds:.0f} s")

    signal.signal(signal.SIGALRM, overtime)
    signal.alarm(int(seconds) + 30)  # the phases below stop at the deadline; this is the backstop
    started = time.monotonic()
    figures: dict[str, Any] = {}
    try:
        state = topology.up()
        figures["up_seconds"] = round(time.monotonic() - started, 1)
        figures.update(run(state, started + seconds))
    finally:
        signal.alarm(0)
        if not keep:
            topology.down(wipe=True)
    _print(figures)
    out = topology.REPO / "var" / "cluster-test.json"
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(f"JSON: {out}")
    return 0 if figures.get("ok") else 1
