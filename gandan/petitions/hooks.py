"""What the concerns module does when a cadre leaves: the receiver of `people.signals.cadre_left`,
connected in apps.py (merges in merges.py)."""

from __future__ import annotations

import datetime as dt

from gandan.core import audit
from gandan.people.models import Cadre, User
from gandan.petitions import states
from gandan.petitions.models import Petition


def release_cadre(sender: object, *, cadre: Cadre, left_on: dt.date, actor: User | None, **_: object) -> None:
    """A departing cadre's open concerns stay with their unit, without a holding cadre."""
    count = Petition.objects.filter(holder_cadre=cadre, status__in=states.OPEN).update(holder_cadre=None)
    if count:
        audit.record(actor=actor, action="petition.release_cadre", obj=cadre, after={"petitions": count,
                                                                                     "left_on": left_on})
