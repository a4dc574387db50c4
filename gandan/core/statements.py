"""Statements the ORM writes once and each call only binds, for the few hot paths (a visit's write
context, an API call's token) where building and compiling a queryset costs more CPU than the
database takes to answer it: on the write path of issue 15, the write context spent 13 ms of CPU per
create in Django's query building and compiling, its database work taking well under one.

`prepare(build, **markers)` calls `build` once with marked values (`mark_int`, `mark_date`,
`mark_uuid`, `mark_text`: numbers, dates and UUIDs no row holds), compiles the queryset it returns, and keeps the
SQL with the place of each marked value among its parameters. `Prepared.rows(**values)` then binds
the real values there and runs it: no queryset is built, nothing is compiled. The queryset stays the
one source of the rules (the managers' filters, the joins); no SQL is written by hand, and the rows
come back through the same converters a queryset applies. A marked value the compiler does not pass
through as a parameter (a Django that binds it otherwise) stops at `prepare`, not in a wrong answer.

A statement's SQL depends only on the shape of its parameters (how many ids a list holds), so callers
keep one per shape (`functools.lru_cache`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_numbers = itertools.count(1)
_BASE = -2_000_000_000  # marked integers: negative (no id is), within 32 bits (Django drops an overflow)
_LAST_MARKED_YEAR = 1899
_UUID_TOP = 0x5EED


def mark_int() -> int:
    return _BASE - next(_numbers)


def mark_text() -> str:
    return f"marked-{next(_numbers)}-{uuid.uuid4().hex}"


def mark_date() -> dt.date:
    """A date before 1900, on the 13th (so that the first of its month is not the same marker)."""
    n = next(_numbers)
    return dt.date(1000 + n % (_LAST_MARKED_YEAR - 999), 1 + n // (_LAST_MARKED_YEAR - 999) % 12, 13)


def mark_uuid() -> uuid.UUID:
    return uuid.UUID(int=(_UUID_TOP << 112) + next(_numbers))


def _looks_marked(value: Any) -> bool:
    """A value only a marker (or something computed from one) holds."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value < _BASE
    if isinstance(value, str) and len(value) >= 10 and value[:1] == "1" and value[4:5] == "-":
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return False
    if isinstance(value, dt.date):
        return value.year < _LAST_MARKED_YEAR + 1
    if isinstance(value, uuid.UUID):
        return value.int >> 112 == _UUID_TOP
    return False


def _identity(value: Any) -> Any:
    return value


def _uuid_hex(value: Any) -> str:
    return uuid.UUID(str(value)).hex


def _adapter(marker: Any, param: Any) -> Callable[[Any], Any] | None:
    """How the compiler passed `marker` as `param` (as is, as text, as hex on SQLite), if it did."""
    if type(param) is type(marker) and param == marker:
        return _identity
    if isinstance(param, str) and not isinstance(marker, str | int) and param == str(marker):
        return str
    if isinstance(marker, uuid.UUID) and param == marker.hex:
        return _uuid_hex
    return None


@dataclass(frozen=True)
class Prepared:
    using: str
    sql: str
    constants: tuple[Any, ...]
    slots: tuple[tuple[int, str, Callable[[Any], Any]], ...]  # (parameter index, marker name, adapter)
    compiler: Any
    converters: dict[int, Any]

    def params(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.constants)
        for index, name, adapt in self.slots:
            params[index] = adapt(values[name])
        return params

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows of the statement for these values (a list for a list marker), converted as the
        queryset's would be."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params(_spread(values)))
            rows: Iterable[Sequence[Any]] = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [tuple(row) for row in rows]


def prepare(build: Callable[..., QuerySet[Any]], **markers: Any) -> Prepared:
    """Compile `build(**markers)` (a values_list queryset) once; see the module docstring."""
    queryset = build(**markers)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots, constants = [], list(params)
    found: set[str] = set()
    for index, param in enumerate(params):
        for name, marker in markers.items():
            markers_of = marker if isinstance(marker, list | tuple) else [marker]
            for position, one in enumerate(markers_of):
                adapt = _adapter(one, param)
                if adapt is not None:
                    key = f"{name}[{position}]" if isinstance(marker, list | tuple) else name
                    slots.append((index, key, adapt))
                    constants[index] = None
                    found.add(key)
    wanted = set(_spread(markers))
    if wanted - found:
        raise RuntimeError(f"prepare: {sorted(wanted - found)} not bound as parameters of {sql}")
    derived = [p for p in constants if _looks_marked(p)]
    if derived:  # e.g. build() computed a month from a marked date: that value would stay fixed
        raise RuntimeError(f"prepare: {derived} derived from a marker; pass it as a marker of its own")
    fields = [column[0] for column in compiler.select[:compiler.col_count]]
    return Prepared(using=queryset.db, sql=sql, constants=tuple(constants), slots=tuple(slots), compiler=compiler,
                    converters=compiler.get_converters(fields))


def _spread(values: dict[str, Any]) -> dict[str, Any]:
    """List values under the names `prepare` gave their items (`ids[0]`, `ids[1]`, …)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            out.update({f"{name}[{i}]": item for i, item in enumerate(value)})
        else:
            out[name] = value
    return out


def instance(model: type[Model], row: Sequence[Any], using: str) -> Model | None:
    """A model instance from its concrete fields' values in `row` (as `model_columns` names them), or
    None when the row's primary key is NULL (an outer join found nothing)."""
    fields = model._meta.concrete_fields
    values = list(row[:len(fields)])
    pk_index = next(i for i, f in enumerate(fields) if f.primary_key)
    if values[pk_index] is None:
        return None
    return model.from_db(using, [f.attname for f in fields], values)


def model_columns(model: type[Model], prefix: str = "") -> list[str]:
    """The values_list names of a model's concrete fields, reached through `prefix` ("user__")."""
    return [prefix + f.attname for f in model._meta.concrete_fields]
