from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gandan.core import audit
from gandan.core.models import AuditEvent


def record_writes(names: list[str]) -> None:
    """As services do: one write, one event, in the write's transaction."""
    for number, name in enumerate(names, start=1):
        with transaction.atomic():
            audit.record(actor=None, action="unit.create", object_type="org.adminunit", object_id=str(number),
                         after={"name": name})


@pytest.fixture
def chain(db):
    record_writes(["Tỉnh Thử", "Xã Một", "Xã Hai", "Xã Ba"])
    return list(AuditEvent.objects.order_by("id"))


def test_every_write_leaves_a_linked_event(chain):
    assert [e.action for e in chain] == ["unit.create"] * 4
    assert chain[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(chain, chain[1:], strict=False))
    assert chain[1].after["name"] == "Xã Một"
    assert audit.verify_chain().ok


def test_an_edited_event_breaks_the_chain_at_that_event(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(after={**chain[2].after, "name": "Xã Khác"})
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == chain[2].pk
    assert report.checked == 2


def test_a_deleted_event_breaks_the_chain_at_the_next_one(chain):
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    report = audit.verify_chain()
    assert report.broken_at == chain[2].pk


def test_verify_command_names_the_first_broken_link(chain, capsys):
    call_command("audit", "verify", verbosity=0)
    assert "4" in capsys.readouterr().out
    AuditEvent.objects.filter(pk=chain[3].pk).update(actor_label="someone else", action="unit.delete")
    with pytest.raises(CommandError, match=f"#{chain[3].pk}"):
        call_command("audit", "verify", verbosity=0)


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x", object_type="t", object_id="1")
    with transaction.atomic():
        audit.record(actor=None, action="x", object_type="t", object_id="1", after={"d": "05/07/2025"})
    assert audit.verify_chain().ok


# -- one chain per province -------------------------------------------------------------------------
PROVINCES = (11, 22, 33)


@pytest.fixture
def chains(db):
    """Three provinces' writes interleaved, and one of no province."""
    for round_ in range(3):
        for province in PROVINCES:
            with transaction.atomic():
                audit.record(actor=None, action="visit.create", object_type="fieldwork.visit",
                             object_id=f"{province}-{round_}", province_id=province, after={"n": round_})
    with transaction.atomic():
        audit.record(actor=None, action="units.load", object_type="org.adminunit", object_id="")
    return {p: list(AuditEvent.objects.filter(chain=p).order_by("seq")) for p in (*PROVINCES, audit.NATIONWIDE)}


def test_each_province_has_its_own_chain_counted_from_one(chains):
    for province in PROVINCES:
        events = chains[province]
        assert [e.seq for e in events] == [1, 2, 3] and events[0].prev_hash == audit.GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
        assert {e.province_id for e in events} == {province}
    assert [e.seq for e in chains[audit.NATIONWIDE]] == [1]
    report = audit.verify_chains()
    assert report.ok and report.checked == 10
    assert report.heads[22] == (3, chains[22][-1].hash) == audit.chain_heads()[22]


@pytest.mark.parametrize("province", PROVINCES)
def test_an_edit_in_any_chain_is_found_in_that_chain_only(chains, province):
    edited = chains[province][1]
    AuditEvent.objects.filter(pk=edited.pk).update(after={"n": 99})
    report = audit.verify_chains()
    assert [(b.chain, b.event_id) for b in report.breaks] == [(province, edited.pk)]
    assert "sửa" in report.reason and report.checked == 10 - 2


@pytest.mark.parametrize("province", PROVINCES)
def test_a_deletion_in_any_chain_is_found_at_the_next_event(chains, province):
    AuditEvent.objects.filter(pk=chains[province][0].pk).delete()
    report = audit.verify_chains()
    assert [(b.chain, b.event_id) for b in report.breaks] == [(province, chains[province][1].pk)]


def test_moving_an_event_to_another_province_is_found(chains):
    moved = chains[11][2]
    AuditEvent.objects.filter(pk=moved.pk).update(province_id=22)
    assert audit.verify_chains().broken_at == moved.pk


def test_heads_prints_each_chains_last_event(chains, capsys):
    call_command("audit", "heads")
    lines = capsys.readouterr().out.splitlines()
    assert f"11\t3\t{chains[11][-1].hash}" in lines and len(lines) == 4


def test_the_migration_splits_the_national_chain_and_keeps_its_head(transactional_db):
    executor = MigrationExecutor(connection)
    before = [("core", "0003_api_key")]
    executor.migrate(before)
    OldEvent = executor.loader.project_state(before).apps.get_model("core", "AuditEvent")
    prev = audit.GENESIS
    at = timezone.now().replace(microsecond=0)
    for n, province in enumerate((5, None, 5, 7)):
        payload = [prev, at.isoformat(), None, "x", "t", str(n), province, None, {"n": n}]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False,
                                           separators=(",", ":")).encode()).hexdigest()
        OldEvent.objects.create(at=at, action="x", object_type="t", object_id=str(n), province_id=province,
                                after={"n": n}, prev_hash=prev, hash=digest)
        prev = digest
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("core"))
    report = audit.verify_chains()
    assert report.ok and report.checked == 5
    assert report.heads[5][0] == 2 and report.heads[7][0] == 1
    seal = AuditEvent.objects.get(action="audit.rechain")
    assert seal.after == {"national_head": prev, "events": 4} and (seal.chain, seal.seq) == (0, 1)
    MigrationExecutor(connection).migrate(before)  # and back: one national chain again, with the same head
    assert OldEvent.objects.order_by("id").last().hash == prev and not OldEvent.objects.filter(action="audit.rechain")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("core"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_writers_keep_every_chain_linear(transactional_db):
    """Eight threads, two per province, append at once: no fork, no gap, every chain verifies."""
    import threading

    errors: list[BaseException] = []

    def writer(province: int, worker: int) -> None:
        try:
            for n in range(15):
                with transaction.atomic():
                    audit.record(actor=None, action="t", object_type="t", object_id=f"{worker}-{n}",
                                 province_id=province)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(p, w)) for w, p in enumerate((1, 1, 2, 2, 3, 3, 4, 4))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit.verify_chains()
    assert report.ok and report.checked == 120
    assert {c: h[0] for c, h in report.heads.items()} == {1: 30, 2: 30, 3: 30, 4: 30}
