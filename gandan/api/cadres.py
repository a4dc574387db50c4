"""/cadres: people employed by the agencies in the caller's scope (personal data masked, see schemas)."""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gandan.api.auth import user_of
from gandan.api.schemas import CadreOut, Paged
from gandan.core.input_types import Id, Line
from gandan.people import queries
from gandan.people.models import Cadre
from gandan.people.unit_queries import unit_get

router = Router(tags=["cadres"])


class CadreFilter(Schema):
    unit: Id | None = Field(None, description="only cadres of this unit's agencies")
    q: Line = Field("", description="name (diacritics optional) or exact staff code")


@router.get("", response=list[CadreOut], summary="Current cadres in scope, by unit and/or name")
@paginate(Paged)
def cadre_list(request: HttpRequest, filters: Query[CadreFilter]) -> QuerySet[Cadre]:
    user = user_of(request)
    if filters.unit is not None:
        return queries.cadres_of_unit(user, unit_get(user, filters.unit), filters.q).select_related("unit")
    return queries.search_cadres(user, filters.q)


@router.get("/{cadre_id}", response=CadreOut)
def cadre_detail(request: HttpRequest, cadre_id: Id) -> Cadre:
    return queries.cadre_get(user_of(request), cadre_id)
