"""What campaigns do when units merge (the `unit_merged` receiver, connected in apps.py)."""

from __future__ import annotations

from collections.abc import Callable

from gandan.campaigns.models import (
    Campaign,
    CampaignEvent,
    CampaignScope,
    Decision,
    EventCadre,
    ExemplaryModel,
)
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, int]:
    """`unit_merged` receiver: the merged unit's events (past ones too: a campaign's totals are read by
    the current tree), campaigns, scope rows and models now belong to the target. `recorded_unit`
    keeps where an event was recorded. A scope row that would repeat the target's is dropped. Every row
    now under the target carries its province."""
    moved = {"campaigns.events": CampaignEvent.objects.filter(unit=source).update(unit=target)}
    moved["campaigns.campaigns"] = Campaign.objects.filter(unit=source).update(unit=target)
    CampaignScope.objects.filter(unit=source, campaign__scope__unit=target).delete()
    moved["campaigns.scope"] = CampaignScope.objects.filter(unit=source).update(unit=target)
    moved["campaigns.models"] = ExemplaryModel.objects.filter(unit=source).update(unit=target)
    rekeyed = 0
    for qs, field in ((Campaign.objects.all(), "unit__path"), (CampaignEvent.objects.all(), "unit__path"),
                      (EventCadre.objects.all(), "event__unit__path"), (ExemplaryModel.objects.all(), "unit__path"),
                      (Decision.objects.filter(model__isnull=False), "model__unit__path"),
                      (Decision.objects.filter(model__isnull=True), "unit__path")):
        rekeyed += rekey_moved(qs, source=source, target=target, path_field=field, progress=progress)
    moved["campaigns.rekeyed"] = rekeyed
    return moved
