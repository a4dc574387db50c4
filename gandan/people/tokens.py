"""Personal API tokens: API keys (`core.keys`) of the kind "personal", each acting as its user.

A token belongs to one user and is scoped by owner, not by unit: it reaches what its user may
reach, nobody sees another's tokens, and only its owner may revoke it. A key is "gd_" and 43
random characters; the first 10 are shown to recognise it in a list.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gandan.core import keys
from gandan.core.models import ApiKey
from gandan.people.models import User

PERSONAL = keys.KeyKind(code="personal", marker="gd_", shown=10, audit_name="api_token")
API = "api"  # the scope of a personal token: the v1 API, as its user


def tokens_of(user: User) -> QuerySet[ApiKey]:
    """The user's own tokens, revoked ones included, newest first."""
    return ApiKey.objects.filter(kind=PERSONAL.code, user=user).order_by("-created_at", "-id")


def token_create(*, actor: User, name: str) -> tuple[ApiKey, str]:
    """A new token for the actor; returns it with its plaintext key, which is never stored."""
    return keys.key_create(actor=actor, kind=PERSONAL, name=name, user=actor, scopes=[API])


def token_revoke(*, actor: User, token: ApiKey) -> ApiKey:
    """Revoke one of the actor's own tokens; revoking twice changes nothing."""
    if token.kind != PERSONAL.code or token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Chỉ chủ khóa mới thu hồi được khóa"))
    return keys.key_revoke(actor=actor, kind=PERSONAL, key=token)


def token_lookup(key: str) -> ApiKey | None:
    """The live token of an active user behind `key`, or None; notes when it was last used. One query,
    which also brings the user's cadre (recording a visit needs it)."""
    return keys.key_verify(key, kind=PERSONAL, scope=API, related=("user__cadre",))
