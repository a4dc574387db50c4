"""(d) 50 concurrent updates, each sent with the version its caller read, of one concern (taken up),
one task (its agreed weight) and one evaluation sheet (step 1): one wins, the other 49 get 409, and
the record holds the winner's values with its version moved by exactly one — nothing lost silently."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from faults.client import Answer, Client, Tally
from faults.load import API, Places, today
from faults.outcome import Outcome
from faults.world import World

RACERS = 50


def race(make_client: Callable[[], Client], path: str, bodies: list[dict[str, Any]], tally: Tally) -> list[Answer]:
    """Send every body at once (threads released together), one connection each."""
    answers: list[Answer | None] = [None] * len(bodies)
    gate = threading.Barrier(len(bodies))

    def go(i: int) -> None:
        client = make_client()
        gate.wait()
        answers[i] = tally.add(client.call("POST", path, bodies[i]))

    pool = [threading.Thread(target=go, args=(i,), daemon=True) for i in range(len(bodies))]
    for t in pool:
        t.start()
    for t in pool:
        t.join(120)
    return [a for a in answers if a is not None]


def judge(out: Outcome, what: str, answers: list[Answer], before: int, after: int, winner_value: Any,
          stored: Any) -> None:
    wins = [i for i, a in enumerate(answers) if a.ok]
    conflicts = sum(a.kind == "conflict" for a in answers)
    other = [a.kind for a in answers if not a.ok and a.kind != "conflict"]
    out.check(f"{what}: one wins, {RACERS - 1} get 409", len(wins) == 1 and conflicts == RACERS - 1,
              f"{len(wins)} × 200, {conflicts} × 409" + (f", other: {', '.join(other[:4])}" if other else ""))
    out.check(f"{what}: version +1, the winner's values stored", after == before + 1 and stored == winner_value,
              f"version {before} → {after}, stored {stored!r}, winner sent {winner_value!r}")
    if after != before + 1 or stored != winner_value:
        out.rows_lost += 1


def concern(world: World, places: Places, tally: Tally, out: Outcome) -> None:
    created = world.client().call("POST", f"{API}/petitions", {
        "unit_id": places.village_ids[0], "text": "Cống thoát nước bị tắc (faults, xử lý đồng thời)",
        "field": "infrastructure", "channel": "visit", "source_ref": str(uuid.uuid4())})
    assert created.ok, f"concern: {created.kind} {created.body}"[:300]
    pid, version = created.body["id"], created.body["version"]
    leader = world.client("leader")
    detail = leader.call("GET", f"{API}/petitions/{pid}").body
    step = next(s for s in ("accept", "handle") if s in detail["actions"])
    notes = [f"faults racer {i}" for i in range(RACERS)]
    answers = race(lambda: world.client("leader"), f"{API}/petitions/{pid}/{step}",
                   [{"version": version, "note": n} for n in notes], tally)
    after = leader.call("GET", f"{API}/petitions/{pid}").body
    winner = next((notes[i] for i, a in enumerate(answers) if a.ok), None)
    stored = next((e["note"] for e in after["events"] if e["note"].startswith("faults racer")), None)
    judge(out, f"concern ({step})", answers, version, after["version"], winner, stored)


def task(world: World, tally: Tally, out: Outcome) -> None:
    leader = world.client("leader")
    due = (dt.date.fromisoformat(today()) + dt.timedelta(days=10)).isoformat()
    created = leader.call("POST", f"{API}/plans/tasks", {
        "client_uuid": str(uuid.uuid4()), "title": "Rà soát hộ nghèo thôn (faults)", "due_on": due,
        "cadre_id": world.seed["cadre_id"], "weight": "1.00"})
    assert created.ok, f"task: {created.kind} {created.body}"[:300]
    tid, version = created.body["id"], created.body["version"]
    weights = [f"{2 + i}.00" for i in range(RACERS)]
    answers = race(lambda: world.client("leader"), f"{API}/plans/tasks/{tid}/weight",
                   [{"version": version, "weight": w} for w in weights], tally)
    after = leader.call("GET", f"{API}/plans/tasks/{tid}").body
    winner = next((Decimal(weights[i]) for i, a in enumerate(answers) if a.ok), None)
    judge(out, "task (weight)", answers, version, after["version"], winner, Decimal(str(after["weight"])))


def sheet(world: World, tally: Tally, out: Outcome) -> None:
    cadre = world.client()
    sid = world.seed["sheet_id"]
    before = cadre.call("GET", f"{API}/evaluation/sheets/{sid}").body
    criteria = {code: Decimal(top) for code, top in world.seed["criteria"].items()}
    first = next(iter(criteria))
    bodies = []
    for i in range(RACERS):  # the first criterion's points tell the racers apart
        points = {code: str(top) for code, top in criteria.items()}
        points[first] = str((criteria[first] * i / RACERS).quantize(Decimal("0.01")))
        bodies.append({"version": before["version"], "points": points, "comment": f"faults racer {i}"})
    answers = race(lambda: world.client(), f"{API}/evaluation/sheets/{sid}/self", bodies, tally)
    after = cadre.call("GET", f"{API}/evaluation/sheets/{sid}").body
    winner = next((bodies[i]["comment"] for i, a in enumerate(answers) if a.ok), None)
    judge(out, "evaluation sheet (step 1)", answers, before["version"], after["version"], winner,
          after.get("self_comment"))


def run(world: World, out: Outcome) -> None:
    places = Places.of(world.client())
    tally = Tally()
    start = time.monotonic()
    concern(world, places, tally, out)
    task(world, tally, out)
    sheet(world, tally, out)
    out.load = f"{RACERS} clients released together on each record, all with the version read before"
    out.faults = f"3 × {RACERS} concurrent updates (concern step, task weight, sheet step 1) in " \
                 f"{time.monotonic() - start:.1f} s"
    out.requests, out.errors = tally.requests, tally.errors()
