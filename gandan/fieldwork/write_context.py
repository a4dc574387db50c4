"""Everything recording a visit reads before it writes, in one statement.

A create used to read, one query each: the stored visit of its client UUID (a retry?), the province's
checklist topics, the month's lock, the visited units, the visited households, the recorder's
grants, and afterwards the cadre's visits of that day (for the "many in a day" flag). Each is small;
together they were most of the write path's round trips. Here they are one UNION ALL of the same
ORM querysets (the rules stay theirs: `RoleGrant.objects.active()`, the province filters), so there is
nothing to cache and nothing to invalidate: every create reads the current topics, lock and grants.

Building and compiling that union took ~13 ms of CPU per create, most of the write path's, for a
statement the database answers in well under one; so it is compiled once per shape (how many units
and households, whether the grants are wanted: core/statements.py) and each create only binds its
values. The topics, the lock and the grants add three index lookups to a round trip made anyway
(0.03-0.1 ms of execution each on the bench's database, plus their share of planning): reading them
from a cache instead would cost a cache round trip of its own and an invalidation to get right.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, CharField, Count, Field, FloatField, QuerySet, TextField, Value
from django.db.models.functions import Cast

from gandan.core import statements
from gandan.fieldwork.models import ChecklistTopic, MonthLock, Visit
from gandan.org.models import AdminUnit, Household
from gandan.people.models import RoleGrant

_TEXT: Field[Any, Any] = TextField()
_INT: Field[Any, Any] = BigIntegerField()
_FLOAT: Field[Any, Any] = FloatField()


def _none(output: Field[Any, Any]) -> Cast:
    """A typed NULL: PostgreSQL types a UNION's columns from its branches, and bare NULLs become text."""
    return Cast(Value(None), output_field=output)


def _kind(code: str) -> Cast:
    return Cast(Value(code), output_field=CharField(max_length=1))


@dataclass
class WriteContext:
    existing: tuple[int, int, str] | None = None  # the stored visit of this UUID: id, cadre id, body hash
    units: dict[int, AdminUnit] = field(default_factory=dict)
    households: dict[int, Household] = field(default_factory=dict)
    day_count: int = 0  # the cadre's visits already recorded for that day
    month_locked: bool = False
    topic_codes: set[str] = field(default_factory=set)
    grants: list[tuple[str, str]] | None = None  # (role, unit path), when asked for


def _parts(*, province_id: int, client_uuid: uuid.UUID, cadre_id: int, date: dt.date, month: dt.date,
           unit_ids: list[int], household_ids: list[int], user_id: int | None = None,
           today: dt.date | None = None) -> QuerySet[Any]:
    """Rows as (kind, id, ref, path, text, latitude, longitude); kinds: v visit, u unit, h household,
    d day count, l month lock, t topic, g grant."""
    parts: list[QuerySet[Any]] = [
        Visit.objects.filter(province_id=province_id, client_uuid=client_uuid).order_by().values_list(
            _kind("v"), "pk", "cadre_id", _none(_TEXT), "body_hash", _none(_FLOAT), _none(_FLOAT)),
        Visit.objects.filter(cadre_id=cadre_id, date=date).order_by().values("cadre_id").annotate(
            n=Count("pk")).values_list(_kind("d"), "n", _none(_INT), _none(_TEXT), _none(_TEXT), _none(_FLOAT),
                                       _none(_FLOAT)),
        MonthLock.objects.filter(province_id=province_id, month=month).order_by().values_list(
            _kind("l"), "pk", _none(_INT), _none(_TEXT), _none(_TEXT), _none(_FLOAT), _none(_FLOAT)),
        ChecklistTopic.objects.filter(province_id=province_id).order_by().values_list(
            _kind("t"), "pk", _none(_INT), _none(_TEXT), "code", _none(_FLOAT), _none(_FLOAT)),
    ]
    if unit_ids:
        parts.append(AdminUnit.objects.filter(pk__in=unit_ids, province_id=province_id).order_by().values_list(
            _kind("u"), "pk", "province_id", "path", Cast("valid_to", CharField()), "latitude", "longitude"))
    if household_ids:
        parts.append(Household.objects.filter(pk__in=household_ids, province_id=province_id).order_by().values_list(
            _kind("h"), "pk", "village_id", "village__path", _none(_TEXT), "village__latitude", "village__longitude"))
    if user_id is not None:
        parts.append(RoleGrant.objects.active(today).filter(user_id=user_id, unit__valid_to__isnull=True).order_by()
                     .values_list(_kind("g"), "pk", _none(_INT), "unit__path", "role", _none(_FLOAT), _none(_FLOAT)))
    return parts[0].union(*parts[1:], all=True)


@functools.lru_cache(maxsize=64)
def _statement(units: int, households: int, with_user: bool) -> statements.Prepared:
    """The write context's statement for this many units and households, with or without grants."""
    grants = {"user_id": statements.mark_int(), "today": statements.mark_date()} if with_user else {}
    return statements.prepare(
        _parts, province_id=statements.mark_int(), client_uuid=statements.mark_uuid(), cadre_id=statements.mark_int(),
        date=statements.mark_date(), month=statements.mark_date(),
        unit_ids=[statements.mark_int() for _ in range(units)],
        household_ids=[statements.mark_int() for _ in range(households)], **grants)


def visit_write_context(*, province_id: int, client_uuid: uuid.UUID, cadre_id: int, date: dt.date,
                        unit_ids: list[int], household_ids: list[int], user_id: int | None,
                        today: dt.date) -> WriteContext:
    """What recording a visit checks, read in one statement (`_parts`, compiled once per shape)."""
    statement = _statement(len(unit_ids), len(household_ids), user_id is not None)
    rows = statement.rows(province_id=province_id, client_uuid=client_uuid, cadre_id=cadre_id, date=date,
                          month=date.replace(day=1), unit_ids=list(unit_ids), household_ids=list(household_ids),
                          user_id=user_id, today=today)
    context = WriteContext(grants=[] if user_id is not None else None)
    for kind, pk, ref, path, text, lat, lon in rows:
        if kind == "v":
            context.existing = (pk, ref, text)
        elif kind == "d":
            context.day_count = pk
        elif kind == "l":
            context.month_locked = True
        elif kind == "t":
            context.topic_codes.add(text)
        elif kind == "u":
            ended = dt.date.fromisoformat(text[:10]) if text else None  # an ended unit takes no new visit
            context.units[pk] = AdminUnit(pk=pk, province_id=ref, path=path, latitude=lat, longitude=lon,
                                          valid_to=ended)
        elif kind == "h":
            village = AdminUnit(pk=ref, province_id=province_id, path=path, latitude=lat, longitude=lon)
            household = Household(pk=pk, province_id=province_id, village_id=ref)
            household.village = village
            context.households[pk] = household
        elif kind == "g" and context.grants is not None:
            context.grants.append((text, path))
    return context
