"""What the campaign forms offer, from the user's scope: the agencies one may record for, the places
and party cells of a campaign, an agency's people, the units and agencies a leader may organise for."""

from __future__ import annotations

from django.db.models import Q

from gandan.campaigns.models import Campaign
from gandan.campaigns.services import may_record
from gandan.core.paths import path_q
from gandan.org.models import AdminUnit, Agency, PartyCell
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, User

MAX_CHOICES = 2000


def agencies_for(user: User, campaign: Campaign) -> list[Agency]:
    """The agencies taking part in `campaign` that the user may record events for (their own first)."""
    q = Q(pk=campaign.agency_id)
    for row in campaign.scope.select_related("unit"):
        q |= path_q([row.unit.path], "unit__path") if row.with_subtree else Q(unit=row.unit)
    own = getattr(getattr(user, "cadre", None), "agency_id", None)
    mine = Q(pk=own) if own else Q(pk__in=[])
    candidates = Agency.objects.filter(q).filter(mine | path_q(scoping.scope_paths(user, WRITE_ROLES), "unit__path"))
    found = [a for a in candidates.select_related("unit").order_by("unit__path", "name")[:MAX_CHOICES]
             if may_record(user, a)]
    return sorted(found, key=lambda a: a.pk != own)


def places_for(campaign: Campaign, agency: Agency) -> list[AdminUnit]:
    """Current units where the agency's event may take place: its own unit and below, within the campaign."""
    inside = Q(pk__in=[])
    for row in campaign.scope.select_related("unit"):
        inside |= path_q([row.unit.path])
    return list(AdminUnit.objects.current().filter(path_q([agency.unit.path])).filter(inside | path_q(
        [campaign.unit.path])).order_by("path")[:MAX_CHOICES])


def people_of(agency: Agency) -> list[Cadre]:
    return list(Cadre.objects.active().filter(agency=agency).order_by("name_folded", "pk"))


def cells_at(places: list[AdminUnit]) -> list[PartyCell]:
    return list(PartyCell.objects.filter(unit__in=places).order_by("name")[:MAX_CHOICES])


def organiser_agencies(user: User) -> list[Agency]:
    """Agencies whose unit the user leads (write roles): those that may organise a campaign."""
    return list(Agency.objects.filter(path_q(scoping.scope_paths(user, WRITE_ROLES), "unit__path"))
                .select_related("unit").order_by("unit__path", "name")[:MAX_CHOICES])


def scope_units(user: User, depth_below: int = 1) -> list[AdminUnit]:
    """The roots of the user's scope and the levels just below, for scope and filter choices."""
    roots = scoping.top_units(user)
    if not roots:
        return []
    depth = min(u.depth for u in roots)
    return list(scoping.units_for(user).current().filter(depth__lte=depth + depth_below).order_by("path")[:MAX_CHOICES])
