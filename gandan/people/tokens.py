"""Personal API tokens: create (shown once), revoke, and find the token behind a bearer key.

A key is "gd_" + 43 random URL-safe characters. Only its SHA-256 is stored, so a key cannot be
read back from the database; the first characters (`prefix`) let its owner recognise it in a list.
Tokens belong to one user and are scoped by owner, not by unit: nobody sees another's tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gandan.core import audit
from gandan.people.models import ApiToken

KEY_PREFIX = "gd_"
PREFIX_LENGTH = 10  # "gd_" and 7 random characters, enough to tell one's tokens apart
MAX_KEY_LENGTH = 200  # longer keys are not ours; refuse before hashing
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens, revoked ones included, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with its plaintext key, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Hãy đặt tên cho khóa, ví dụ “Điện thoại của tôi” / "
                                       "Give the token a name."})
    max_length = ApiToken._meta.get_field("name").max_length
    if len(name) > max_length:
        raise ValidationError({"name": f"Tên khóa dài tối đa {max_length} ký tự / The name is at most "
                                       f"{max_length} characters."})
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, prefix=plaintext[:PREFIX_LENGTH],
                                        key_hash=key_hash(plaintext))
        audit.record(actor=actor, action="api_token.create", obj=token,
                     after=audit.snapshot(token, ["user_id", "name", "prefix", "created_at"]))
    return token, plaintext


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; revoking twice changes nothing."""
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Chỉ chủ khóa mới thu hồi được khóa / Only the owner may revoke a token.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        before = audit.snapshot(locked, ["revoked_at"])
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api_token.revoke", obj=locked, before=before,
                     after=audit.snapshot(locked, ["revoked_at"]))
    return locked


def token_lookup(key: str) -> ApiToken | None:
    """The live token of an active user behind `key`, or None; notes when it was last used."""
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True).first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        # Conditional update: concurrent requests write the timestamp once, not once each.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)).update(last_used_at=now)
        token.last_used_at = now
    return token
