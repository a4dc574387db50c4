"""The writes and reads the scenarios send: visits (some with a concern heard on them) and concerns
recorded through the API, each with a client-made UUID that every retry reuses, as the phone's sync
does; and the checks that each acknowledged UUID is one row in the database."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from faults.client import Answer, Client, Tally

API = "/api/v1"
RETRYABLE = {"refused", "reset", "timeout", "unavailable", "unavailable_bare", "http_500", "http_502", "http_504"}


def today() -> str:
    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


@dataclass
class Places:
    unit_id: int
    village_ids: list[int]

    @classmethod
    def of(cls, client: Client) -> Places:
        for _ in range(3):  # the first call after a start may be slow on a busy machine
            answer = client.call("GET", f"{API}/fieldwork/places")
            if answer.ok:
                break
        assert answer.ok, f"places: {answer.kind} {answer.body!r}"[:300]
        units = answer.body["units"]
        villages = [u["id"] for u in units if u["level"] == "village"] or [units[0]["id"]]
        return cls(units[0]["id"], villages)


def visit_body(places: Places, key: str, n: int, *, with_concern: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"client_uuid": key, "date": today(), "kind": "working_visit",
                            "unit_ids": [places.village_ids[n % len(places.village_ids)]],
                            "notes": f"faults visit {key}"}
    if with_concern:
        body["concerns"] = [{"text": f"Đường liên thôn bị sạt lở (faults {key})", "field": "infrastructure"}]
    return body


def concern_body(places: Places, key: str, n: int) -> dict[str, Any]:
    return {"unit_id": places.village_ids[n % len(places.village_ids)], "text": f"Đèn đường hỏng (faults {key})",
            "field": "infrastructure", "channel": "visit", "source_ref": key}


@dataclass
class Write:
    kind: str  # "visit" or "concern"
    key: str
    body: dict[str, Any]
    acknowledged: bool = False
    attempts: int = 0
    final: str = ""


def writes(places: Places, visits: int, concerns: int) -> list[Write]:
    out = [Write("visit", k, visit_body(places, k, n, with_concern=n % 3 == 0))
           for n, k in enumerate(str(uuid.uuid4()) for _ in range(visits))]
    out += [Write("concern", k, concern_body(places, k, n)) for n, k in enumerate(str(uuid.uuid4())
                                                                                    for _ in range(concerns))]
    out.sort(key=lambda w: w.key)  # interleave visits and concerns
    return out


def send(client: Client, write: Write, tally: Tally, *, until: float, pause: float = 0.25) -> Write:
    """POST the write until it is acknowledged (200 or 201), with the same UUID every time."""
    path = f"{API}/fieldwork/visits" if write.kind == "visit" else f"{API}/petitions"
    while time.monotonic() < until:
        write.attempts += 1
        answer = tally.add(client.call("POST", path, write.body))
        write.final = answer.kind
        if answer.ok:
            write.acknowledged = True
            return write
        if answer.kind not in RETRYABLE:
            return write  # refused for good (a 409 or 4xx): counted, not retried
        time.sleep(pause)
    return write


def run_writers(make_client: Callable[[], Client], items: list[Write], tally: Tally, *, threads: int,
                until: float) -> None:
    """`threads` clients share the list, each sending one write at a time until it is acknowledged."""
    lock = threading.Lock()
    queue = list(items)

    def work() -> None:
        client = make_client()
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            send(client, item, tally, until=until)

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(max(0.0, until - time.monotonic()) + 5)


@dataclass
class RowCheck:
    attempted: int = 0
    acknowledged: int = 0
    missing: list[str] = field(default_factory=list)  # acknowledged, no row
    duplicated: list[str] = field(default_factory=list)  # more than one row

    @property
    def lost(self) -> int:
        return len(self.missing)


def check_rows(sql: Callable[[str], str], items: list[Write]) -> RowCheck:
    """One row per UUID in the database: visits by client_uuid, concerns by source_ref (a visit's
    concern carries the visit's UUID as its source too)."""
    visit_rows = _counts(sql("SELECT client_uuid, count(*) FROM fieldwork_visit WHERE notes LIKE 'faults visit %' "
                             "GROUP BY client_uuid"))
    concern_rows = _counts(sql("SELECT source_ref, count(*) FROM petitions_petition WHERE text LIKE '%(faults %' "
                               "GROUP BY source_ref"))
    result = RowCheck(attempted=len(items))
    for item in items:
        rows = visit_rows.get(item.key, 0) if item.kind == "visit" else concern_rows.get(item.key, 0)
        if item.kind == "visit" and "concerns" in item.body:
            rows_of_concern = concern_rows.get(item.key, 0)
            if rows_of_concern > 1:
                result.duplicated.append(item.key + " (its concern)")
            if item.acknowledged and rows_of_concern == 0:
                result.missing.append(item.key + " (its concern)")
        if rows > 1:
            result.duplicated.append(item.key)
        if item.acknowledged:
            result.acknowledged += 1
            if rows == 0:
                result.missing.append(item.key)
    return result


def _counts(rows: str) -> dict[str, int]:
    out = {}
    for line in rows.splitlines():
        key, _, n = line.partition("|")
        out[key] = int(n)
    return out


def answers_text(answers: list[Answer], limit: int = 3) -> str:
    return "; ".join(f"{a.at:.1f}s {a.kind} {str(a.body)[:120]}" for a in answers[:limit])
