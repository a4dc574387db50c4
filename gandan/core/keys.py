"""API keys, one mechanism for every kind: create (the secret is shown once), revoke, verify.

A secret is the kind's marker ("gd_" for personal tokens, "o311_" for Open311 clients) followed by
43 random URL-safe characters. Only its SHA-256 (hexadecimal) is stored, so a secret cannot be read
back from the database; its first characters are kept as `prefix`. Each app describes its keys
with a `KeyKind` and decides what the key may do: a personal token acts as its user, an Open311 key
files concerns in its province. Creating and revoking append to the audit chain in the same
transaction; verifying notes when the key was last used, at most once a minute.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit, statements
from gandan.core.models import ApiKey

if TYPE_CHECKING:
    from gandan.core.audit import Actor

MAX_SECRET_LENGTH = 200  # longer secrets are not ours; refuse before hashing
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often


@dataclass(frozen=True)
class KeyKind:
    """What an app's keys look like."""

    code: str  # ApiKey.kind
    marker: str  # every secret of the kind starts with it
    shown: int  # how many first characters are kept as ApiKey.prefix
    audit_name: str  # audit actions are "<audit_name>.create" and "<audit_name>.revoke"


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho khóa để nhận ra nó sau này.")})
    max_length: int = ApiKey._meta.get_field("name").max_length  # type: ignore[assignment]  # a CharField: set
    if len(name) > max_length:
        raise ValidationError({"name": _("Tên khóa dài tối đa %(n)d ký tự.") % {"n": max_length}})
    return name


def key_create(*, actor: Actor, kind: KeyKind, name: str, scopes: Iterable[str], user: Actor = None,
               province_id: int | None = None, details: dict[str, Any] | None = None) -> tuple[ApiKey, str]:
    """A new key of `kind`; returns it with its secret, which is never stored. `details` (e.g. the
    province of a client) go into the audit event; call inside the transaction that stores them."""
    name = _clean_name(name)
    secret = kind.marker + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(kind=kind.code, name=name, prefix=secret[:kind.shown], key_hash=key_hash(secret),
                                    user=user, scopes=list(scopes))  # type: ignore[misc]  # the project's user model
        audit.record(actor=actor, action=f"{kind.audit_name}.create", obj=key, province_id=province_id,
                     after={**audit.snapshot(key, ["kind", "user_id", "name", "prefix", "scopes", "created_at"]),
                            **(details or {})})
    return key, secret


def key_revoke(*, actor: Actor, kind: KeyKind, key: ApiKey, province_id: int | None = None) -> ApiKey:
    """Revoke a key of `kind`, noting who did; revoking twice changes nothing."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk, kind=kind.code)
        if locked.revoked_at is not None:
            return locked
        before = audit.snapshot(locked, ["revoked_at"])
        locked.revoked_at = timezone.now()
        locked.revoked_by_id = getattr(actor, "pk", None)
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action=f"{kind.audit_name}.revoke", obj=locked, before=before,
                     after=audit.snapshot(locked, ["revoked_at"]), province_id=province_id)
    return locked


def _live(kind: str, key_hash: str, columns: list[str]) -> QuerySet[ApiKey]:
    """The live key of `kind` with this hash (a user's key while the user is active), as `columns`."""
    return (ApiKey.objects.filter(kind=kind, key_hash=key_hash, revoked_at__isnull=True)
            .filter(Q(user__isnull=True) | Q(user__is_active=True)).values_list(*columns)[:1])


@dataclass(frozen=True)
class _Join:
    path: str  # "user__cadre"
    parent: str  # "user" ("" for the key itself)
    model: type[Model]
    relation: Any  # the parent's field (forward) or relation (reverse one-to-one) that leads here


def _joins(related: tuple[str, ...]) -> list[_Join]:
    """Every step of `user` and of each related path, parents first, as select_related follows them."""
    paths = sorted({"__".join(p.split("__")[:n]) for p in ("user", *related)
                    for n in range(1, len(p.split("__")) + 1)}, key=lambda p: (p.count("__"), p))
    models: dict[str, type[Model]] = {"": ApiKey}
    joins = []
    for path in paths:
        parent, _sep, name = path.rpartition("__")
        relation = models[parent]._meta.get_field(name)
        if not (relation.one_to_one or relation.many_to_one):
            raise ValueError(f"key_verify: {path} is not a single related object")
        models[path] = relation.related_model  # type: ignore[assignment]  # a relation has one
        joins.append(_Join(path, parent, models[path], relation))
    return joins


@functools.lru_cache(maxsize=16)
def _lookup(kind: str, related: tuple[str, ...]) -> tuple[statements.Prepared, list[_Join]]:
    joins = _joins(related)
    columns = statements.model_columns(ApiKey) + [c for j in joins for c in statements.model_columns(j.model,
                                                                                                     j.path + "__")]
    return statements.prepare(lambda key_hash: _live(kind, key_hash, columns), key_hash=statements.mark_text()), joins


def _key_from(row: tuple[Any, ...], joins: list[_Join], using: str) -> ApiKey:
    """The key and its related objects from one row, cached on each other as select_related does."""
    found: dict[str, Model | None] = {"": statements.instance(ApiKey, row, using)}
    offset = len(ApiKey._meta.concrete_fields)
    for join in joins:
        width = len(join.model._meta.concrete_fields)
        obj = statements.instance(join.model, row[offset:offset + width], using)
        offset += width
        found[join.path] = obj
        parent = found[join.parent]
        if parent is None:
            continue
        if join.relation.concrete:  # a forward foreign key or one-to-one
            join.relation.set_cached_value(parent, obj)
            if obj is not None and join.relation.one_to_one:
                join.relation.remote_field.set_cached_value(obj, parent)
        else:  # a reverse one-to-one
            join.relation.set_cached_value(parent, obj)
            if obj is not None:
                join.relation.field.set_cached_value(obj, parent)
    return found[""]  # type: ignore[return-value]  # a row always has its key


def key_verify(secret: str, *, kind: KeyKind, scope: str, related: Iterable[str] = ()) -> ApiKey | None:
    """The live key of `kind` behind `secret` that allows `scope`, or None; a key that acts as a user
    is live only while that user is active. Notes when it was last used.

    One statement with the user and the `related` objects (as select_related would bring them),
    compiled once per kind (core/statements.py): on an API call's path, building and compiling the
    queryset cost ~4 ms of CPU, the lookup itself a fraction of one."""
    if not secret or not secret.startswith(kind.marker) or len(secret) > MAX_SECRET_LENGTH:
        return None
    statement, joins = _lookup(kind.code, tuple(related))
    rows = statement.rows(key_hash=key_hash(secret))
    key = _key_from(rows[0], joins, statement.using) if rows else None
    if key is None or scope not in key.scopes:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        # Conditional update: concurrent requests write the timestamp once, not once each.
        ApiKey.objects.filter(pk=key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)).update(last_used_at=now)
        key.last_used_at = now
    return key
