"""The bulk writer behind `gandan gen`: rows go to the database in chunks through `core.bulk`
(COPY on PostgreSQL, one executemany on SQLite), so memory stays flat whatever the scale.

Ids are given here, not by the database: a table's writer starts after the largest id it finds and
counts up, so the next table can point at rows that COPY never returned (households of a village
are one run of ids, for instance). `reset_sequences` moves PostgreSQL's sequences past them at the
end, so that the application's own inserts carry on from there.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from gandan.core.bulk import bulk_insert

CHUNK = 20_000


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value becomes what the column takes on this database (None: as it is)."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.UUIDField) and connection.vendor != "postgresql":
        return lambda value: None if value is None else uuid.UUID(str(value)).hex
    return None


class Table:
    """Rows of one model: `add(*values)` in the order of `columns`, the rest from `fixed` or the
    fields' defaults; returns the new row's id. Flushes every `CHUNK` rows and on `close()`."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], *, fixed: dict[str, Any] | None = None,
                 on_flush: Callable[[int], None] | None = None) -> None:
        self.model = model
        fixed = dict(fixed or {})
        now = timezone.now()
        rest: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            name = field.name
            if field.primary_key or name in columns or name in fixed:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                rest[name] = now
            elif isinstance(field, models.UUIDField):
                raise ValueError(f"{model.__name__}.{name}: a UUID must be given per row")
            elif field.has_default():
                rest[name] = field.get_default()
            elif field.null:
                rest[name] = None
            elif isinstance(field, models.CharField | models.TextField):
                rest[name] = ""
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value")
        fixed.update(rest)
        self.columns = ("id", *columns, *fixed)
        fields = [model._meta.get_field(name) for name in self.columns]
        self._adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]  # type: ignore[arg-type]  # concrete fields
        tail = list(fixed.values())
        for i, adapt in self._adapters:
            if i > len(columns):
                tail[i - len(columns) - 1] = adapt(tail[i - len(columns) - 1])
        self._tail = tuple(tail)
        self._varying = {i: a for i, a in self._adapters if i <= len(columns)}
        self.next_id = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1  # type: ignore[attr-defined]  # every model has its manager
        self.first_id = self.next_id
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.seconds = 0.0
        self._on_flush = on_flush

    def add(self, *values: Any) -> int:
        row_id = self.next_id
        self.next_id += 1
        if self._varying:
            values = tuple(self._adapt(i, v) for i, v in enumerate(values, start=1))
        self.rows.append((row_id, *values, *self._tail))
        if len(self.rows) >= CHUNK:
            self.flush()
        return row_id

    def _adapt(self, index: int, value: Any) -> Any:
        adapt = self._varying.get(index)
        return value if adapt is None else adapt(value)

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        bulk_insert(self.model, self.columns, self.rows)
        self.seconds += time.perf_counter() - started
        self.count += len(self.rows)
        if self._on_flush is not None:
            self._on_flush(len(self.rows))
        self.rows = []

    def close(self) -> int:
        self.flush()
        return self.count


def reset_sequences(models_written: list[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids given here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
