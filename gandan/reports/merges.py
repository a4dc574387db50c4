"""What the reports do when units merge (the `unit_merged` receiver, connected in apps.py).

Period reports are records of what a unit sent: they stay the source's, under the target's path, and
take the target's province. Rollups are sums over the tree as it was when they were built: every month
held for the two provinces is rebuilt once the merge commits (a job), so that the target's figures
include the source's history and the source has no row of its own in the months to come."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from gandan.core import outbox
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved
from gandan.reports.models import PeriodReport


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    from gandan.reports.tasks import rebuild_rollups_of

    rekeyed = rekey_moved(PeriodReport.objects.all(), source=source, target=target, path_field="unit__path",
                          progress=progress)
    # a province merging is its own province_id's owner: its rows are rebuilt under the target
    provinces = sorted({p for p in (source.province_id, target.province_id,
                                    source.pk if source.parent_id is None else None) if p is not None})
    transaction.on_commit(lambda: outbox.enqueue(rebuild_rollups_of, provinces))  # kept if Redis is down
    return {"reports.rekeyed": rekeyed}
