"""Real concurrency on PostgreSQL (row locks): two handlers acting on one concern at once — one wins, the
other gets a Conflict; concerns received at the same moment never share a tracking code. On SQLite the
same guarantees are tested by deterministic interleavings (test_steps, test_receive)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from gandan.people.testing import build_world
from gandan.petitions import services
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")]


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same instant, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = jobs[index]()
        except Exception as exc:  # noqa: BLE001 — the result is the exception
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_handlers_accepting_at_once_one_wins_the_other_gets_a_conflict():
    world = build_world()
    petition = receive(world)
    results = run_together([
        lambda: services.petition_accept(actor=world.commune_a_leader, petition=petition, version=1),
        lambda: services.petition_accept(actor=world.commune_a_cadre, petition=petition, version=1),
    ])
    assert sum(isinstance(r, Petition) for r in results) == 1, results
    assert sum(isinstance(r, services.Conflict) for r in results) == 1, results
    petition.refresh_from_db()
    assert petition.version == 2 and petition.events.filter(action="accept").count() == 1


def test_escalate_and_answer_at_once_leave_one_consistent_outcome():
    world = build_world()
    petition = services.petition_accept(actor=world.commune_a_leader, petition=receive(world))
    results = run_together([
        lambda: services.petition_escalate(actor=world.commune_a_leader, petition=petition, note="vượt thẩm quyền"),
        lambda: services.petition_answer(actor=world.commune_a_cadre, petition=petition, text="Đã sửa"),
    ])
    assert sum(isinstance(r, services.Conflict) for r in results) == 1, results
    petition.refresh_from_db()
    assert petition.status in ("escalated", "answered")
    assert petition.holdings.filter(ended_at__isnull=True).count() == (1 if petition.status == "escalated" else 0)


def test_concerns_received_at_the_same_moment_get_different_codes():
    world = build_world()
    results = run_together([lambda i=i: receive(world, text=f"Phản ánh số {i}") for i in range(8)])
    assert all(isinstance(r, Petition) for r in results), results
    assert len({r.code for r in results}) == 8
