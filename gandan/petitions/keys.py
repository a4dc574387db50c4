"""API keys of Open311 clients: created by `gandan open311-key create` (shown once), stored as their
SHA-256 only, each tied to the province where its client files concerns."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gandan.core import audit
from gandan.org.models import AdminUnit
from gandan.petitions.models import Open311Key

PREFIX = "o311_"
MAX_KEY = 200


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_create(*, actor: Any, province: AdminUnit, name: str) -> tuple[Open311Key, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Hãy đặt tên cho khóa (tên ứng dụng) / give the key a name"})
    if province.parent_id is not None:
        raise ValidationError({"province": f"{province.name} không phải cấp tỉnh / is not a province"})
    plaintext = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(province=province, name=name[:100], prefix=plaintext[:12],
                                        key_hash=key_hash(plaintext))
        audit.record(actor=actor, action="open311_key.create", obj=key, province_id=province.pk,
                     after={"name": key.name, "prefix": key.prefix, "province": province.pk})
    return key, plaintext


def key_revoke(*, actor: Any, key: Open311Key) -> Open311Key:
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action="open311_key.revoke", obj=key, province_id=key.province_id,
                         after={"revoked_at": key.revoked_at})
    return key


def key_lookup(key: str) -> Open311Key | None:
    if not key or len(key) > MAX_KEY or not key.startswith(PREFIX):
        return None
    found = Open311Key.objects.select_related("province").filter(key_hash=key_hash(key),
                                                                 revoked_at__isnull=True).first()
    if found is not None and (found.last_used_at is None or
                              (timezone.now() - found.last_used_at).total_seconds() > 60):
        Open311Key.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found
