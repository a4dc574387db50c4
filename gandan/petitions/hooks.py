"""What the concerns module does when units merge or a cadre leaves: receivers of
`org.signals.unit_merged` and `people.signals.cadre_left`, connected in apps.py."""

from __future__ import annotations

import datetime as dt

from gandan.core import audit
from gandan.org.models import AdminUnit
from gandan.people.models import Cadre, User
from gandan.petitions import states
from gandan.petitions.models import Petition, PetitionHolding


def move_open_petitions(sender: object, *, source: AdminUnit, target: AdminUnit, **_: object) -> dict[str, int]:
    """Open concerns raised in or held by a merged unit move to the unit it merged into (the agencies,
    moved by the merge itself, keep holding them)."""
    open_rows = Petition.objects.filter(status__in=states.OPEN)
    raised = open_rows.filter(unit=source).update(unit=target)
    held = open_rows.filter(holder_unit=source).update(holder_unit=target)
    PetitionHolding.objects.filter(unit=source, ended_at__isnull=True).update(unit=target)
    return {"petitions_raised": raised, "petitions_held": held}


def release_cadre(sender: object, *, cadre: Cadre, left_on: dt.date, actor: User | None, **_: object) -> None:
    """A departing cadre's open concerns stay with their unit, without a holding cadre."""
    count = Petition.objects.filter(holder_cadre=cadre, status__in=states.OPEN).update(holder_cadre=None)
    if count:
        audit.record(actor=actor, action="petition.release_cadre", obj=cadre, after={"petitions": count,
                                                                                     "left_on": left_on})
