"""/units: the administrative tree as the caller may see it."""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gandan.api.auth import user_of
from gandan.api.schemas import AgencyOut, ChildUnitOut, Paged, UnitOut
from gandan.core.input_types import Id, Line
from gandan.org.models import AdminUnit, Agency
from gandan.people import scoping
from gandan.people import unit_queries as queries

router = Router(tags=["units"])


class SubtreeFilter(Schema):
    level: Line | None = Field(None, description="level code: province, district, commune, village")
    include_past: bool = Field(False, description="also units that were merged or abolished")


@router.get("/roots", response=list[UnitOut], summary="The roots of the caller's scope")
def unit_roots(request: HttpRequest) -> list[AdminUnit]:
    return scoping.top_units(user_of(request))


@router.get("/search", response=list[UnitOut], summary="Find units by name (without diacritics) or code")
def unit_search(request: HttpRequest, q: Line, limit: int = Query(20, ge=1, le=50)) -> list[AdminUnit]:
    return queries.search_units(user_of(request), q, limit=limit)


@router.get("/{unit_id}", response=UnitOut)
def unit_detail(request: HttpRequest, unit_id: Id) -> AdminUnit:
    return queries.unit_get(user_of(request), unit_id)


@router.get("/{unit_id}/children", response=list[ChildUnitOut], summary="Units directly below")
def unit_children(request: HttpRequest, unit_id: Id, include_past: bool = False) -> list[AdminUnit]:
    user = user_of(request)
    return queries.children_of(user, queries.unit_get(user, unit_id), include_past=include_past)


@router.get("/{unit_id}/subtree", response=list[UnitOut], summary="Every unit below, in path order")
@paginate(Paged)
def unit_subtree(request: HttpRequest, unit_id: Id, filters: Query[SubtreeFilter]) -> QuerySet[AdminUnit]:
    user = user_of(request)
    unit = queries.unit_get(user, unit_id)
    rows = scoping.units_for(user).below(unit).select_related("level")
    if not filters.include_past:
        rows = rows.current()
    if filters.level:
        rows = rows.filter(level__code=filters.level)
    return rows.order_by("path")


@router.get("/{unit_id}/agencies", response=list[AgencyOut], summary="Agencies attached to the unit")
def unit_agencies(request: HttpRequest, unit_id: Id) -> QuerySet[Agency]:
    user = user_of(request)
    return queries.agencies_of(user, queries.unit_get(user, unit_id))
