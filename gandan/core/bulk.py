"""The database's bulk path for large inserts (households, imports, generated data): COPY on
PostgreSQL, one executemany on SQLite. Five to ten times faster than `bulk_create`; no model code
runs, so callers pass finished values (or use `insert_objects`, which fills timestamps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone


def bulk_insert(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows through the database's bulk path (COPY on PostgreSQL, executemany on SQLite):
    five to ten times faster than `bulk_create` for the ~200,000 households of a province. The
    values must already be what the columns hold (ids for foreign keys); no model code runs."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)  # type: ignore[union-attr, arg-type]  # concrete fields: each has its column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapted: dict[dt.datetime, Any] = {}

        def adapt(value: Any) -> Any:
            if not isinstance(value, dt.datetime):
                return value
            if value not in adapted:
                adapted[value] = connection.ops.adapt_datetimefield_value(value)
            return adapted[value]

        params = [tuple(map(adapt, row)) for row in rows]
        cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                           f"({', '.join(['%s'] * len(fields))})", params)


def insert_objects(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """Insert unsaved instances of `model` (every concrete column but the id) through `bulk_insert`.

    Fields with auto_now/auto_now_add get the current time. Ids are not returned: use it where the
    caller does not need them (households of an import, generated rows)."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    rows = []
    for obj in objs:
        for attname in stamped:
            setattr(obj, attname, now)
        rows.append(tuple(getattr(obj, f.attname) for f in fields))
    bulk_insert(model, tuple(f.name for f in fields), rows)
    return len(rows)
