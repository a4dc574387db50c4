"""Re-keying `province_id` when rows move from one province to another (a merge across provinces).

Every large table carries `province_id` (DESIGN §5), so a row that moves must carry the new one, or it
stays behind a dead province: out of its new province's lists and scope checks. Done in batches of
primary keys (never one statement over a province's millions of rows), inside the caller's
transaction, reporting each batch to `progress` (the merge command's progress bar)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from gandan.core.paths import path_q

BATCH = 2000


def rekey_province(qs: QuerySet[Any], province_id: int | None, *, field: str = "province_id",
                   progress: Callable[[int], object] | None = None, batch: int = BATCH) -> int:
    """Set `field` to `province_id` on every row of `qs` that has another; returns how many changed."""
    if province_id is None:  # a unit not saved yet has no province: nothing to re-key to
        return 0
    stale = qs.exclude(**{field: province_id}).order_by("pk")
    changed = 0
    last = None
    while True:
        page = stale if last is None else stale.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch])
        if not ids:
            return changed
        changed += qs.model._base_manager.filter(pk__in=ids).update(**{field: province_id})
        last = ids[-1]
        if progress is not None:
            progress(len(ids))


def rekey_moved(qs: QuerySet[Any], *, source: Any, target: Any, path_field: str,
                progress: Callable[[int], object] | None = None) -> int:
    """For a `unit_merged` receiver: rows of `qs` still keyed to the source's province whose unit (reached
    through `path_field`, a unit path) now lies under the target — moved children, the source's own
    history and its predecessors' — take the target's province. Nothing when both share a province."""
    if source.province_id == target.province_id:
        return 0
    moved = qs.filter(province_id=source.province_id).filter(path_q([target.path], path_field))
    return rekey_province(moved, target.province_id, progress=progress)


def rekey_settings(qs: QuerySet[Any], *, source: Any, target: Any, key: tuple[str, ...] = ()) -> dict[str, int]:
    """For a `unit_merged` receiver, when a whole province merges: its settings rows (checklist topics,
    quotas, month locks, deadline rules…) move to the target province, except those the target already
    has for the same `key` (fields that are unique with the province; `()` for one row per province):
    the target's own win, and those stay with the old province as the record of what it used."""
    if source.pk != source.province_id or source.province_id == target.province_id:
        return {"moved": 0, "kept": 0}
    rows = qs.filter(province_id=source.province_id)
    theirs = set(qs.filter(province_id=target.province_id).values_list(*key)) if key else set()
    has_one = qs.filter(province_id=target.province_id).exists()
    clashing = [pk for pk, *values in rows.values_list("pk", *key) if (key and tuple(values) in theirs)
                or (not key and has_one)]
    moved = rekey_province(rows.exclude(pk__in=clashing), target.province_id)
    return {"moved": moved, "kept": len(clashing)}
