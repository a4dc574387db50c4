"""Receivers of the tree's signals (connected in apps.py)."""

from __future__ import annotations

from django.db.models import Q

from gandan.campaigns.models import Campaign, CampaignEvent, CampaignScope, ExemplaryModel
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit


def move_on_merge(sender: object, *, source: AdminUnit, target: AdminUnit, **_: object) -> dict[str, int]:
    """`unit_merged` receiver: the merged unit's events (past ones too: a campaign's totals are read by
    the current tree), campaigns, scope rows and models now belong to the target. `recorded_unit`
    keeps where an event was recorded. A scope row that would repeat the target's is dropped."""
    moved = {"campaigns.events": CampaignEvent.objects.filter(unit=source).update(unit=target)}
    if source.province_id != target.province_id:
        under = Q(unit__path=target.path) | Q(unit__path__startswith=target.path + PATH_SEP)
        CampaignEvent.objects.filter(under).update(province_id=target.province_id)
        ExemplaryModel.objects.filter(under).update(province_id=target.province_id)
    moved["campaigns.campaigns"] = Campaign.objects.filter(unit=source).update(unit=target)
    CampaignScope.objects.filter(unit=source, campaign__scope__unit=target).delete()
    moved["campaigns.scope"] = CampaignScope.objects.filter(unit=source).update(unit=target)
    moved["campaigns.models"] = ExemplaryModel.objects.filter(unit=source).update(unit=target)
    return moved
