"""Vietnamese order in the database: `vi_order("name")` sorts as a Vietnamese dictionary does
(Hà Nội before Huế, Lạng Sơn before Lào Cai, D before Đ), on both databases.

- PostgreSQL: the ICU collation `vi-x-icu` when the server has ICU (Debian's and most builds do);
  without ICU the server's own order is kept, and `has_icu()` says so.
- SQLite: a collation `vi` registered on every connection, backed by `text.sort_key`, so that the
  order is the same as the Python key used for short lists in memory.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.db.models import F, Func
from django.db.models.expressions import Combinable

from gandan.core.text import sort_key

ICU = "vi-x-icu"


_key = functools.lru_cache(maxsize=65536)(sort_key)  # SQLite compares each name many times in a sort


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = _key(a or ""), _key(b or "")
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vi", _compare)


connection_created.connect(register_sqlite_collation, dispatch_uid="gandan-vi-collation")


@functools.cache
def _postgres_has_icu(alias: str) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [ICU])
        return cursor.fetchone() is not None


def has_icu(alias: str = "default") -> bool:
    return default_connection.vendor == "postgresql" and _postgres_has_icu(alias)


class ViOrder(Func):
    """`expression COLLATE <Vietnamese>`, for order_by (a Collate whose name depends on the database)."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, **extra)
        return f"{sql} COLLATE vi", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, **extra)
        if not _postgres_has_icu(connection.alias):
            return sql, params
        return f'{sql} COLLATE "{ICU}"', params


def vi_order(field: str | Combinable, *, descending: bool = False) -> Any:
    """An order_by term: the text field `field` in Vietnamese order (`descending` reverses it)."""
    expr = ViOrder(F(field) if isinstance(field, str) else field)
    return expr.desc() if descending else expr.asc()
