from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

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
