"""Factories for field-work tests (on top of the persona world of gandan.people.testing)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from gandan.fieldwork import services
from gandan.fieldwork.inputs import VisitIn
from gandan.fieldwork.models import Visit, VisitKind

if TYPE_CHECKING:
    from gandan.people.models import User

# The smallest valid pictures of each kind: enough bytes for the type to be recognised.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def body(world: Any, **overrides: Any) -> dict[str, Any]:
    """A JSON body for POST /api/v1/fieldwork/visits: cadre_a (commune_a_cadre) visiting village A1."""
    data = {
        "client_uuid": str(uuid.uuid4()),
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "kind": VisitKind.WORKING_VISIT,
        "unit_ids": [world.village_a1.pk],
        "household_ids": [],
        "findings": {"security": "Ổn định", "living": "Mùa màng tốt"},
        "notes": "Họp dân thôn về làm đường.",
    }
    data.update(overrides)
    return data


def make_visit(world: Any, *, actor: User | None = None, date: dt.date | None = None,
               kind: str = VisitKind.WORKING_VISIT,
               units: list[Any] | None = None, households: list[Any] | None = None, **extra: Any) -> Visit:
    """A visit recorded through the service, by commune_a_cadre (cadre_a) unless told otherwise."""
    actor = actor or world.commune_a_cadre
    data = VisitIn(
        client_uuid=uuid.uuid4(), date=date or timezone.localdate() - dt.timedelta(days=1), kind=kind,
        unit_ids=[u.pk for u in (units if units is not None else [world.village_a1])],
        household_ids=[h.pk for h in households or []], **extra)
    visit, _created = services.visit_record(actor=actor, data=data)
    return visit
