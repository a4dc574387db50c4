"""Writing a month's new sheets and their criteria rows when it opens (services.month_open).

On PostgreSQL the rows go through the bulk path (core/bulk.py, COPY): the sheets' ids are reserved
first with one `nextval` over `generate_series`, so that the criteria rows can name their sheet
without reading anything back, and each sheet's evidence is serialised once with the standard
library's C encoder. `bulk_create` built a model instance per row and, since Django 5.2, one UNNEST
array per column (psycopg quotes every string of it with a regex): about 3.5 s of 1,828 cadres'
opening, most of it in Python. SQLite keeps `bulk_create`. Both store the same rows: every column
not given here gets the model field's default (tests/test_sheet_writes.py compares the two).
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from gandan.core.bulk import bulk_insert
from gandan.evaluation.models import Sheet, SheetScore

BATCH = 2000
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


@dataclass(frozen=True)
class NewSheet:
    """A sheet to insert: the columns month_open sets, and the codes of its general criteria."""

    province_id: int
    unit_id: int
    agency_month_id: int
    cadre_id: int
    month: Any
    kind: str
    rubric_id: int
    assessor_id: int | None
    is_leader: bool
    task_group: str
    evidence: dict[str, Any]
    codes: tuple[str, ...]


GIVEN = ("province_id", "unit_id", "agency_month_id", "cadre_id", "month", "kind", "rubric_id", "assessor_id",
         "is_leader", "task_group", "evidence")


def insert_sheets(new: Sequence[NewSheet], *, copy: bool | None = None) -> Counter[int]:
    """Insert the sheets and one empty SheetScore per criterion code; the sheets per agency month.
    `copy` forces a path (tests); by default COPY on PostgreSQL, bulk_create elsewhere."""
    if copy is None:
        copy = connection.vendor == "postgresql"
    if new:
        (_copy if copy else _bulk_create)(new)
    return Counter(s.agency_month_id for s in new)


def _bulk_create(new: Sequence[NewSheet]) -> None:
    sheets = Sheet.objects.bulk_create([Sheet(**{name: getattr(s, name) for name in GIVEN}) for s in new],
                                       batch_size=BATCH)
    SheetScore.objects.bulk_create([SheetScore(sheet=sheet, code=code) for sheet, s in zip(sheets, new, strict=True)
                                    for code in s.codes], batch_size=BATCH)


def _defaults(model: type[models.Model], given: Sequence[str]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The model's other concrete columns (not the id) and the value each gets by default, as COPY takes it."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in given:
            continue
        value = f.get_default()
        if isinstance(value, enum.Enum):  # a TextChoices member: its plain value
            value = value.value
        names.append(f.name)
        values.append(_dumps(value) if isinstance(f, models.JSONField) else value)
    return tuple(names), tuple(values)


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` new ids from the table's own sequence, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s) ORDER BY 1",
                       [model._meta.db_table, n])
        return [row[0] for row in cursor.fetchall()]


def _copy(new: Sequence[NewSheet]) -> None:
    ids = _reserve_ids(Sheet, len(new))
    rest, filled = _defaults(Sheet, GIVEN)
    bulk_insert(Sheet, ("id", *GIVEN, *rest), [
        (pk, s.province_id, s.unit_id, s.agency_month_id, s.cadre_id, s.month, str(s.kind), s.rubric_id,
         s.assessor_id, s.is_leader, s.task_group, _dumps(s.evidence), *filled)
        for pk, s in zip(ids, new, strict=True)])
    score_rest, score_filled = _defaults(SheetScore, ("sheet_id", "code"))
    bulk_insert(SheetScore, ("sheet_id", "code", *score_rest),
                [(pk, code, *score_filled) for pk, s in zip(ids, new, strict=True) for code in s.codes])
