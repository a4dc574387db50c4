"""The audit log: every service write calls `record` inside its own transaction.

Each event's hash covers its content and the previous event's hash, so editing or deleting any
row breaks the chain from that point; `verify_chain` finds the first such break. Appends are
serialised (an advisory lock on PostgreSQL, the write lock on SQLite) so the chain stays linear.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
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
_LOCK_KEY = 0x6A6E_6461  # arbitrary constant for pg_advisory_xact_lock


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


def event_hash(*, prev_hash: str, at: str, actor_id: int | None, action: str, object_type: str,
               object_id: str, province_id: int | None, before: Any, after: Any) -> str:
    payload = json.dumps(
        [prev_hash, at, actor_id, action, object_type, object_id, province_id, before, after],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return _normalise({name: getattr(obj, name) for name in names})


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


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
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev = last or GENESIS
    now = timezone.now()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    before_n, after_n = _normalise(before), _normalise(after)
    digest = event_hash(prev_hash=prev, at=at.isoformat(), actor_id=actor_id, action=action,
                        object_type=object_type, object_id=str(object_id), province_id=province_id,
                        before=before_n, after=after_n)
    return AuditEvent.objects.create(
        at=at, actor_id=actor_id, actor_label=label, action=action, object_type=object_type,
        object_id=str(object_id), province_id=province_id, before=before_n, after=after_n,
        prev_hash=prev, hash=digest,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first event that does not fit, or None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 5000, progress: Any = None) -> ChainReport:
    """Walk the chain in id order; report the first event whose link or content was altered."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return ChainReport(checked=checked, broken_at=None)
        for ev in rows:
            if ev.prev_hash != prev:
                return ChainReport(checked, ev.id, "liên kết với sự kiện trước bị đứt (a previous event was "
                                                   "deleted or changed)")
            expected = event_hash(prev_hash=ev.prev_hash, at=ev.at.isoformat(), actor_id=ev.actor_id,
                                  action=ev.action, object_type=ev.object_type, object_id=ev.object_id,
                                  province_id=ev.province_id, before=ev.before, after=ev.after)
            if expected != ev.hash:
                return ChainReport(checked, ev.id, "nội dung sự kiện đã bị sửa (the event's content was edited)")
            prev = ev.hash
            checked += 1
            last_id = ev.id
        if progress is not None:
            progress(len(rows))
