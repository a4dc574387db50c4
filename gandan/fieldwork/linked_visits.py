"""Field-day visits that another module records for the cadres present at one of its activities
(a campaign event: campaigns/services.py), so that field work counts them without double entry.

An activity is named by its `source` UUID. Each cadre present gets one visit of kind field day at
the activity's place and date, whose client UUID is `uuid5(source, cadre id)`: the unique
(province, client UUID) constraint makes "two visits for the same cadre and activity" impossible,
and a repeated sync finds the visits it made. The activity is the record of where and when, so a
sync resets the visits' date, place and kind; what a cadre added to their own visit (findings,
notes, photos) stays. Cadres no longer present lose their visit. One audit event per sync.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from gandan.core import audit
from gandan.fieldwork.models import Visit, VisitHousehold, VisitKind, VisitUnit
from gandan.fieldwork.queries import is_month_locked
from gandan.fieldwork.services import MonthLocked
from gandan.fieldwork.sync import body_hash, normalise_body
from gandan.org.models import AdminUnit
from gandan.people.models import Cadre, User


def linked_uuid(source: uuid.UUID, cadre_id: int) -> uuid.UUID:
    return uuid.uuid5(source, f"cadre:{cadre_id}")


def linked_visits_sync(*, actor: User | None, source: uuid.UUID, date: dt.date, unit: AdminUnit,
                       cadre_ids: Collection[int], previous_cadre_ids: Collection[int] = (),
                       notes: str = "") -> dict[int, Visit]:
    """Make the field-day visits of `source` exactly one per cadre of `cadre_ids` (those of
    `previous_cadre_ids` not in it are deleted). Returns cadre id → visit. Raises MonthLocked."""
    wanted = set(cadre_ids)
    known = wanted | set(previous_cadre_ids)
    uuids = {linked_uuid(source, pk): pk for pk in known}
    existing = {uuids[v.client_uuid]: v for v in Visit.objects.filter(client_uuid__in=list(uuids))}
    places: dict[int, set[int]] = {}
    for visit_id, unit_id in VisitUnit.objects.filter(visit__in=list(existing.values())).values_list(
            "visit_id", "unit_id"):
        places.setdefault(visit_id, set()).add(unit_id)
    changes = [v for pk, v in existing.items() if pk in wanted and
               (v.date != date or v.kind != VisitKind.FIELD_DAY or places.get(v.pk) != {unit.pk})]
    dropped = [v for pk, v in existing.items() if pk not in wanted]
    missing = sorted(wanted - set(existing))
    for day in {date, *(v.date for v in changes + dropped)}:
        if (missing or changes or dropped) and is_month_locked(unit.province_id, day):  # type: ignore[arg-type]  # a saved unit has its province
            raise MonthLocked(day)
    now = timezone.now()
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=missing).only("pk", "province_id")}
    with transaction.atomic():
        created = [Visit(province_id=cadres[pk].province_id, client_uuid=linked_uuid(source, pk), cadre_id=pk,
                         date=date, kind=VisitKind.FIELD_DAY, notes=notes, recorded_at=now,
                         recorded_by=actor if actor else None, delay_days=(timezone.localdate(now) - date).days,
                         body_hash=body_hash(normalise_body(cadre_id=pk, date=date, kind=VisitKind.FIELD_DAY,
                                                            unit_ids=[unit.pk], notes=notes)))
                   for pk in missing if pk in cadres]
        Visit.objects.bulk_create(created)
        created = list(Visit.objects.filter(client_uuid__in=[v.client_uuid for v in created]))
        for visit in changes:
            visit.date, visit.kind = date, VisitKind.FIELD_DAY
        Visit.objects.bulk_update(changes, ["date", "kind"])
        VisitUnit.objects.filter(visit__in=changes).delete()
        VisitHousehold.objects.filter(visit__in=changes).update(date=date)
        VisitUnit.objects.bulk_create([VisitUnit(province_id=v.province_id, visit=v, unit=unit, cadre_id=v.cadre_id,
                                                 date=date) for v in created + changes])
        Visit.objects.filter(pk__in=[v.pk for v in dropped]).delete()
        if created or changes or dropped:
            audit.record(actor=actor, action="visit.link_sync", object_type="fieldwork.linked_visits",
                         object_id=str(source), province_id=unit.province_id, after={
                             "date": date, "unit": unit.pk, "created": sorted(v.cadre_id for v in created),
                             "updated": sorted(v.cadre_id for v in changes),
                             "deleted": sorted(v.cadre_id for v in dropped)})
    found = {v.cadre_id: v for v in created}
    found.update({pk: v for pk, v in existing.items() if pk in wanted})
    return found
