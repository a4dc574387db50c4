"""Reads on the administrative tree for a user, always starting from their scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gandan.core.collation import vi_order
from gandan.core.text import fold, sort_key
from gandan.org.models import AdminUnit, Agency, Household, PartyCell
from gandan.people import scoping
from gandan.people.scoping import AnyUser


def unit_get(user: AnyUser, pk: int) -> AdminUnit:
    return scoping.get_in_scope_or_404(
        AdminUnit.objects.select_related("level", "parent", "province", "successor"), user, "path", pk=pk)


def children_of(user: AnyUser, unit: AdminUnit, include_past: bool = False) -> list[AdminUnit]:
    """Children of a unit in scope, with their own child counts, in Vietnamese order."""
    qs = scoping.filter_by_scope(unit.children.all(), user, "path").select_related("level")
    if not include_past:
        qs = qs.current()
    rows = list(qs.annotate(n_children=Count("children", filter=Q(children__valid_to__isnull=True))))
    return sorted(rows, key=lambda u: sort_key(u.name))


def search_units(user: AnyUser, text: str, limit: int = 50) -> list[AdminUnit]:
    """Diacritic-insensitive search by name or exact code: "nghia thuan" finds "Xã Nghĩa Thuận"."""
    needle = fold(text)
    if not needle:
        return []
    qs = scoping.units_for(user).filter(Q(name_folded__contains=needle) | Q(code=text.strip()))
    rows = list(qs.select_related("level", "parent").order_by("depth", "name_folded")[:limit])
    return sorted(rows, key=lambda u: (u.depth, not u.name_folded.endswith(needle), sort_key(u.name)))


def breadcrumbs(user: AnyUser, unit: AdminUnit) -> list[AdminUnit]:
    """The unit's ancestors that the user may see, top first."""
    paths = unit.ancestor_paths()[:-1]
    visible = scoping.filter_by_scope(AdminUnit.objects.filter(path__in=paths), user, "path")
    return sorted(visible, key=lambda u: u.depth)


def agencies_of(user: AnyUser, unit: AdminUnit) -> QuerySet[Agency]:
    return (scoping.filter_by_scope(Agency.objects.filter(unit=unit), user, "unit__path")
            .order_by("kind", vi_order("name")))


def party_cells_of(user: AnyUser, unit: AdminUnit) -> QuerySet[PartyCell]:
    return scoping.filter_by_scope(PartyCell.objects.filter(unit=unit), user, "unit__path").annotate(
        n_members=Count("members")).order_by(vi_order("name"))


def households_of(user: AnyUser, unit: AdminUnit) -> QuerySet[Household]:
    return scoping.filter_by_scope(Household.objects.filter(village=unit), user, "village__path").order_by("code")
