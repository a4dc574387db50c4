"""Rebuilding the rollups of a month: each source's GROUP BY rows (measures.py) added to their unit
and to every unit above it, found through the materialised path (`AdminUnit.path`), then the
month's rows replaced in one transaction. A rebuild of one month is independent of every other, so
the periodic job refreshes the running month and `gandan rollups rebuild --period P` any other.

Two rebuilds of the same province and month (the periodic job and a merge's, or two consumers) are
serialised on PostgreSQL by a transaction-level advisory lock per (province, month), taken in
province order so that a national rebuild and a provincial one cannot deadlock: without it both
delete the old rows, and the second insert fails on `rollup_unique`. SQLite serialises writers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gandan.core.months import add_months
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit
from gandan.reports import measures
from gandan.reports.models import Rollup
from gandan.reports.periods import month_key

BATCH = 5_000
_LOCK_KEY = 0x726F_6C6C  # arbitrary constant ("roll"): the first key of pg_advisory_xact_lock(rollup, …)


def _ancestors(province_ids: list[int] | None) -> dict[int, tuple[int, list[int]]]:
    """unit id → (province id, ids of the unit and every unit above it), from the paths alone."""
    units = AdminUnit.objects.all()
    if province_ids is not None:
        units = units.filter(Q(pk__in=province_ids) | Q(province_id__in=province_ids))
    rows = list(units.values_list("pk", "path", "province_id"))
    by_path = {path: pk for pk, path, _p in rows}
    found: dict[int, tuple[int, list[int]]] = {}
    for pk, path, province_id in rows:
        parts = path.split(PATH_SEP)
        chain = [by_path[p] for p in (PATH_SEP.join(parts[: i + 1]) for i in range(len(parts))) if p in by_path]
        found[pk] = (province_id or chain[0], chain)
    return found


def _lock(province_ids: list[int], first: dt.date) -> None:
    """Hold, until the transaction ends, the rebuild lock of each province's month (PostgreSQL)."""
    if connection.vendor != "postgresql" or not province_ids:
        return
    key = _LOCK_KEY ^ (first.year * 12 + first.month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, p) FROM unnest(%s::integer[]) AS p ORDER BY p",
                       [key, province_ids])


def rebuild_month(first: dt.date, *, province_ids: Iterable[int] | None = None, now: dt.datetime | None = None,
                  step: Callable[[str], object] | None = None) -> int:
    """Replace the rollups of the month starting `first` (of the given provinces, default all); the
    number of rows written."""
    ids = None if province_ids is None else list(province_ids)
    month = measures.Month(first.replace(day=1), add_months(first.replace(day=1), 1), now or timezone.now(), ids)
    tree = _ancestors(ids)
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for name, source in measures.SOURCES:
        for unit_id, measure, value in source(month):
            for ancestor in tree.get(unit_id, (0, []))[1]:
                totals[(ancestor, measure)] += value
        if step is not None:
            step(name)
    key = month_key(month.first)
    rows = [Rollup(province_id=tree[unit_id][0], unit_id=unit_id, period=key, measure=measure, value=value)
            for (unit_id, measure), value in totals.items()]
    with transaction.atomic():
        _lock(sorted({province for province, _chain in tree.values()}), month.first)
        stale = Rollup.objects.filter(period=key)
        if ids is not None:
            stale = stale.filter(province_id__in=ids)
        stale.delete()
        Rollup.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
