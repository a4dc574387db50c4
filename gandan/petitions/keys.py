"""API keys of Open311 clients: API keys (`core.keys`) of the kind "open311", created by
`gandan open311-key create` (shown once), each tied to the province where its client files concerns
(`Open311Client`). A key is "o311_" and 43 random characters; the first 12 are shown."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gandan.core import keys
from gandan.core.models import ApiKey
from gandan.org.models import AdminUnit
from gandan.people.models import User
from gandan.petitions.models import Open311Client

OPEN311 = keys.KeyKind(code="open311", marker="o311_", shown=12, audit_name="open311_key")
CREATE_REQUEST = "create_request"  # the scope of a client's key: file concerns (POST requests)


def client_keys() -> QuerySet[ApiKey]:
    """Every Open311 client's key, revoked ones included, oldest first, with its province."""
    return (ApiKey.objects.filter(kind=OPEN311.code).select_related("open311_client__province")
            .order_by("created_at", "id"))


def key_create(*, actor: User | None, province: AdminUnit, name: str) -> tuple[ApiKey, str]:
    """A new key for a client filing in `province`; returns it with its secret, which is never stored."""
    if province.parent_id is not None:
        raise ValidationError({"province": _("%(unit)s không phải cấp tỉnh") % {"unit": province.name}})
    with transaction.atomic():
        key, secret = keys.key_create(actor=actor, kind=OPEN311, name=name, scopes=[CREATE_REQUEST],
                                      province_id=province.pk, details={"province": province.pk})
        Open311Client.objects.create(key=key, province=province)
    return key, secret


def key_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a client's key; revoking twice changes nothing."""
    return keys.key_revoke(actor=actor, kind=OPEN311, key=key, province_id=key.open311_client.province_id)


def key_lookup(secret: str) -> ApiKey | None:
    """The live client key behind `secret` (its province at `key.open311_client.province`), or None."""
    return keys.key_verify(secret, kind=OPEN311, scope=CREATE_REQUEST, related=["open311_client__province"])
