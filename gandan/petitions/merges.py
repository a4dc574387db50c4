"""What the concerns module does when units merge (the `unit_merged` receiver, connected in apps.py).

Concerns still in someone's hands — open in any state, and answered ones awaiting the citizen's
rating — move to the target: the place they were raised, their holder and their current stint. Closed
ones stay where they happened: the source's path lies under the target's and its `heir` is the target,
so its list, its stints and its three rates count under the target (reports.py groups by heir). Every
row now under the target carries its province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved, rekey_settings
from gandan.petitions import states
from gandan.petitions.models import (
    Answer,
    Attachment,
    DeadlineRule,
    Holiday,
    Notification,
    Open311Client,
    Petition,
    PetitionEvent,
    PetitionField,
    PetitionHolding,
    PetitionPolicy,
    Rating,
    WorkingTime,
)

IN_HAND = states.OPEN | {states.ANSWERED}


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    in_hand = Petition.objects.filter(status__in=IN_HAND)
    raised = in_hand.filter(unit=source).update(unit=target)
    held = in_hand.filter(holder_unit=source).update(holder_unit=target)
    stints = PetitionHolding.objects.filter(unit=source, ended_at__isnull=True).update(unit=target)
    rekeyed = rekey_moved(Petition.objects.all(), source=source, target=target, path_field="unit__path",
                          progress=progress)
    for model in (PetitionHolding, PetitionEvent, Answer, Rating, Attachment, Notification):
        rekeyed += rekey_moved(model.objects.all(), source=source, target=target, path_field="petition__unit__path",
                               progress=progress)
    settings = {name: rekey_settings(qs, source=source, target=target, key=key) for name, qs, key in (
        ("fields", PetitionField.objects.all(), ("code",)), ("holidays", Holiday.objects.all(), ("date",)),
        ("deadline_rules", DeadlineRule.objects.all(), ("stage", "field", "urgency", "level")),
        ("working_time", WorkingTime.objects.all(), ()), ("policy", PetitionPolicy.objects.all(), ()),
        ("open311_clients", Open311Client.objects.all(), ("pk",)))}
    return {"petitions_raised": raised, "petitions_held": held, "petitions_stints": stints,
            "petitions_rekeyed": rekeyed, "petitions_settings": settings}
