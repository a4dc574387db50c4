"""`python -m faults [a b c d e]` (or `make faults`): build the world, run the scenarios in order, each
within its own time bound, print what each held and found, write var/faults/last.json, tear it all
down. Exit status 1 if any scenario failed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from faults import conflicts, db_restart, disk_full, kill_app, redis_stop
from faults.outcome import Outcome
from faults.procs import Stack, StartFailed, time_bound
from faults.world import World

SCENARIOS: dict[str, tuple[str, Callable[[World, Outcome], None], int]] = {
    "a": ("kill -9 the app servers during a burst of writes retried with the same UUIDs", kill_app.run, 330),
    "b": ("restart PostgreSQL during a 60 s load", db_restart.run, 180),
    "c": ("stop Redis mid-load", redis_stop.run, 180),
    "d": ("50 concurrent updates of one concern, one task and one evaluation sheet", conflicts.run, 180),
    "e": ("the disk under the media folder fills", disk_full.run, 180),
}
RESULTS = Path("var/faults")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m faults", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help="some of " + " ".join(SCENARIOS) + " (default: all)")
    chosen = parser.parse_args(argv).scenarios or list(SCENARIOS)
    signal.signal(signal.SIGTERM, _terminated)  # `timeout` (make faults) stops us: tear down first
    if set(chosen) - set(SCENARIOS):
        parser.error(f"unknown scenario: {' '.join(sorted(set(chosen) - set(SCENARIOS)))}")
    outcomes: list[Outcome] = []
    started = time.monotonic()
    with Stack() as stack:
        try:
            with time_bound(1200, "building the world"):
                world = World.build(stack, say)
        except (StartFailed, TimeoutError, OSError, subprocess.SubprocessError) as exc:
            say(f"could not build the world: {exc}")
            return 2
        for key in chosen:
            title, scenario, bound = SCENARIOS[key]
            out = Outcome(key, title)
            say(f"({key}) {title}: bound {bound} s")
            begun = time.monotonic()
            try:
                with time_bound(bound, f"scenario {key}"):
                    scenario(world, out)
            except Exception as exc:  # the scenario's own failure, reported, and the next one still runs
                out.crashed = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            out.seconds = time.monotonic() - begun
            outcomes.append(out)
            print("\n".join(out.lines()), flush=True)
            _recover(world, say)
        say("tearing down")
    total = time.monotonic() - started
    print(f"\n{sum(o.passed for o in outcomes)} of {len(outcomes)} scenarios passed, rows lost "
          f"{sum(o.rows_lost for o in outcomes)}, {total:.0f} s in all")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "last.json").write_text(json.dumps({
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seconds": round(total),
        "scenarios": [o.as_dict() for o in outcomes]}, ensure_ascii=False, indent=1))
    return 0 if outcomes and all(o.passed for o in outcomes) else 1


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(143)


def _recover(world: World, say: Callable[[str], None]) -> None:
    """Whatever a failed scenario left broken is started again for the next one."""
    if not world.pg.running():
        say("starting PostgreSQL again")
        world.pg.start()
    if world.redis.proc is None or not world.redis.proc.alive():
        say("starting Redis again")
        world.redis.start()
    if world.app.proc is None or not world.app.proc.alive():
        say("starting gunicorn again")
        world.app.start()


if __name__ == "__main__":
    sys.exit(main())
