"""Factories for the concerns' tests: a concern received in the persona world, moved along its steps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gandan.org.models import AdminUnit, Agency, AgencyKind
from gandan.org.testing import make_agency
from gandan.people.testing import World
from gandan.petitions import services
from gandan.petitions.models import Petition

if TYPE_CHECKING:
    from gandan.people.models import User

ROAD = "Đường vào thôn Nậm Lìn bị sạt lở sau mưa lớn, xe máy không đi qua được, đề nghị xã sửa chữa."


def receive(world: World, *, unit: AdminUnit | None = None, text: str = ROAD, field: str = "infrastructure",
            actor: User | None = None, **extra: Any) -> Petition:
    """A concern recorded by the commune A cadre (or `actor`) in village A1 unless told otherwise."""
    return services.petition_receive(actor=actor or world.commune_a_cadre, unit=unit or world.village_a1,
                                     text=text, field=field, **extra)


def department(world: World, name: str = "Sở Xây dựng", fields: tuple[str, ...] = ("infrastructure",)) -> Agency:
    return make_agency(world.province, name, kind=AgencyKind.DEPARTMENT, fields=list(fields))


def province_committee_agency(world: World) -> Agency:
    return make_agency(world.province, "UBND tỉnh Tuyên Quang")


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
