"""The audit log: every service write calls `record` inside its own transaction.

One hash chain per province. An event's chain is its province (`chain` = province id; 0 for the
nationwide and system events that belong to none), and its `seq` counts up within that chain. Its
hash covers its content, its place (chain, seq) and the previous event's hash in the same chain, so
editing or deleting any row breaks its chain from that point: `verify_chains` walks every chain and
names the first event of each that does not fit. Appends to one chain are serialised by an advisory
lock on (audit, chain) held to COMMIT, taken with the read of the chain's head in one statement
(PostgreSQL; SQLite has one writer anyway), so a chain stays
linear while 34 provinces append side by side: a write in Hà Giang never waits for one in Cà Mau.

Designs considered, and what an attacker who can write to the database can and cannot hide:
- One chain for the country (what this replaced). Every audited write in the country queued on one
  advisory lock held through COMMIT: 76% of busy connections waited on it at 8 workers, a ceiling
  of a few hundred writes per second on any hardware. Editing or deleting an event is found, unless
  the attacker also recomputes every later hash (the hash has no secret: anyone with the rows can
  re-chain them) or deletes only the newest events (a cut tail looks like a shorter chain).
- One chain per province (chosen). The same guarantee, chain by chain: an edit or a deletion inside
  a chain is found; re-chaining is confined to one province's tail, and a cut tail of one chain
  looks like a quiet province. It parallelises exactly as the tables would be distributed (by
  province, DESIGN §5). Events are never moved between chains, so a province merge leaves the old
  province's chain intact and closed.
- Append without a lock, chained by a sealer job seconds later. No wait at all on the write path,
  but events not yet sealed can be edited or deleted without a trace, and the sealer is one more
  job whose lag is a window; per-province chains already remove the national queue.
- A keyed hash (HMAC with a key outside the database) would stop an attacker with only database
  access from re-chaining; it moves the problem to keeping the key, and losing it loses the proof.
For all designs the defence against re-chaining and a cut tail is an anchor outside the database:
`gandan audit heads` prints each chain's last (seq, hash); written down or sent elsewhere, any later
`verify` against it shows whether a chain was rewritten or shortened since.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from gandan.core.models import AuditEvent

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.base_user import AbstractBaseUser

    # Who made a change: a user account, or None for the system (the CLI, background jobs). Django's
    # own base class, so that core does not depend on gandan.people.
    Actor: TypeAlias = AbstractBaseUser | None

GENESIS = "0" * 64
_LOCK_KEY = 0x6A6E_6461  # arbitrary constant: the first key of pg_advisory_xact_lock(audit, chain)
NATIONWIDE = 0  # the chain of events without a province


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot audit value of type {type(value).__name__}")


def _normalise(data: Any) -> Any:
    """Round-trip through JSON so that what we hash is exactly what the database stores."""
    return None if data is None else json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def event_hash(*, prev_hash: str, chain: int, seq: int, at: str, actor_id: int | None, action: str,
               object_type: str, object_id: str, province_id: int | None, before: Any, after: Any) -> str:
    payload = json.dumps(
        [prev_hash, chain, seq, at, actor_id, action, object_type, object_id, province_id, before, after],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return _normalise({name: getattr(obj, name) for name in names})


def chain_of(province_id: int | None) -> int:
    return NATIONWIDE if province_id is None else int(province_id)


def _head(chain: int) -> tuple[int, str] | None:
    """Take the chain's append lock (held to COMMIT) and read its last (seq, hash).

    PostgreSQL: one statement, `gandan_audit_head` (migration 0006), which locks, then reads with a
    fresh snapshot; two chains whose keys collide would only wait for each other, never break.
    SQLite has one writer at a time, so the read alone is enough."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT out_seq, out_hash FROM gandan_audit_head(%s, %s)", [_LOCK_KEY, chain])
            row = cursor.fetchone()
        return (int(row[0]), str(row[1])) if row else None
    return AuditEvent.objects.filter(chain=chain).order_by("-seq").values_list("seq", "hash").first()


def record(*, actor: Actor, action: str, obj: models.Model | None = None, object_type: str = "",
           object_id: str = "", before: Any = None, after: Any = None,
           province_id: int | None = None) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if province_id is None:
            province_id = getattr(obj, "province_id", None)
    actor_id = getattr(actor, "pk", None)
    label = "" if actor is None else (getattr(actor, "username", "") or str(actor))
    chain = chain_of(province_id)
    last = _head(chain)
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    now = timezone.now()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    before_n, after_n = _normalise(before), _normalise(after)
    digest = event_hash(prev_hash=prev, chain=chain, seq=seq, at=at.isoformat(), actor_id=actor_id,
                        action=action, object_type=object_type, object_id=str(object_id),
                        province_id=province_id, before=before_n, after=after_n)
    return AuditEvent.objects.create(
        at=at, actor_id=actor_id, actor_label=label, action=action, object_type=object_type,
        object_id=str(object_id), province_id=province_id, before=before_n, after=after_n,
        chain=chain, seq=seq, prev_hash=prev, hash=digest,
    )


@dataclass(frozen=True)
class Break:
    chain: int
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int  # events that fit, before each chain's first break
    breaks: tuple[Break, ...] = ()
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)  # chain → (seq, hash) of its last event

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def broken_at(self) -> int | None:
        """The id of the first event that does not fit, in the first broken chain, or None."""
        return self.breaks[0].event_id if self.breaks else None

    @property
    def reason(self) -> str:
        return self.breaks[0].reason if self.breaks else ""


def _expected(ev: AuditEvent) -> str:
    return event_hash(prev_hash=ev.prev_hash, chain=ev.chain, seq=ev.seq, at=ev.at.isoformat(), actor_id=ev.actor_id,
                      action=ev.action, object_type=ev.object_type, object_id=ev.object_id,
                      province_id=ev.province_id, before=ev.before, after=ev.after)


def _verify_one(chain: int, batch: int, progress: Any) -> tuple[int, Break | None, tuple[int, str]]:
    prev, seq, checked = GENESIS, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(chain=chain, seq__gt=seq).order_by("seq")[:batch])
        if not rows:
            return checked, None, (seq, prev)
        for ev in rows:
            if ev.prev_hash != prev or ev.seq != seq + 1:
                return checked, Break(chain, ev.id, "liên kết với sự kiện trước bị đứt (a previous event was "
                                                    "deleted or changed)"), (seq, prev)
            if _expected(ev) != ev.hash or chain_of(ev.province_id) != chain:
                return checked, Break(chain, ev.id, "nội dung sự kiện đã bị sửa (the event's content was "
                                                    "edited)"), (seq, prev)
            prev, seq = ev.hash, ev.seq
            checked += 1
        if progress is not None:
            progress(len(rows))


def verify_chains(batch: int = 5000, progress: Any = None) -> ChainReport:
    """Walk every chain in seq order; report the first event of each whose link or content was altered."""
    checked, breaks, heads = 0, [], {}
    for chain in AuditEvent.objects.order_by("chain").values_list("chain", flat=True).distinct():
        n, broken, head = _verify_one(chain, batch, progress)
        checked += n
        heads[chain] = head
        if broken is not None:
            breaks.append(broken)
    return ChainReport(checked=checked, breaks=tuple(breaks), heads=heads)


verify_chain = verify_chains  # the name the callers and tests have always used


def chain_heads() -> dict[int, tuple[int, str]]:
    """Each chain's last (seq, hash): the anchor to keep outside the database (see the docstring)."""
    heads: dict[int, tuple[int, str]] = {}
    for chain, seq, digest in (AuditEvent.objects.order_by("chain", "-seq").distinct("chain")
                               .values_list("chain", "seq", "hash") if connection.vendor == "postgresql" else
                               _heads_portable()):
        heads[chain] = (seq, digest)
    return heads


def _heads_portable() -> list[tuple[int, int, str]]:
    chains = AuditEvent.objects.values_list("chain", flat=True).distinct()
    return [AuditEvent.objects.filter(chain=c).order_by("-seq").values_list("chain", "seq", "hash")[0]
            for c in chains]
