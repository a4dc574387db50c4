"""/grants: the role grants of the units the caller administers (unit-admin role).

A grant to an account that is not a cadre of the unit's line (another commune's cadre, an account
with no cadre) needs `cross_unit_reason`: without it the answer is a 422 on that field, saying why,
and nothing changes — the same rule as the accounts page (people/services.grant_add). A unit
outside the caller's unit-admin scope answers 404 like a missing one.
"""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.core.input_types import Id, Line, Text
from gandan.org.models import AdminUnit
from gandan.people import scoping, services
from gandan.people.models import Role, RoleGrant, User
from gandan.people.scoping import AnyUser

router = Router(tags=["grants"])


class GrantIn(Schema):
    username: Line = Field(max_length=150, examples=["phucst"])
    role: Line = Field(max_length=30, description="one of " + ", ".join(Role.values), examples=["viewer"])
    unit_id: Id
    cross_unit_reason: Text = Field("", max_length=500, description=(
        "required when the account is not a cadre of an agency on the unit's line: why it gets the role"))


class GrantOut(Schema):
    id: int
    user_id: int
    username: str = Field(alias="user.username")
    role: str
    unit_id: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    cross_unit_reason: str


def _administered(user: AnyUser) -> QuerySet[RoleGrant]:
    return scoping.filter_by_scope(RoleGrant.objects.select_related("user"), user, "unit__path", [Role.UNIT_ADMIN])


@router.get("", response=list[GrantOut], summary="Grants of the units I administer")
@paginate(Paged)
def grant_list(request: HttpRequest) -> QuerySet[RoleGrant]:
    return _administered(user_of(request)).order_by("unit__path", "user__username", "id")


@router.post("", response={201: GrantOut}, summary="Give an account a role over a unit I administer")
def grant_create(request: HttpRequest, payload: GrantIn) -> Status:
    actor = user_of(request)
    units = scoping.filter_by_scope(AdminUnit.objects.all(), actor, "path", [Role.UNIT_ADMIN])
    unit = scoping.get_visible_or_404(units, actor, pk=payload.unit_id)
    user = User.objects.filter(username=payload.username.strip()).first()
    if user is None:
        raise ValidationError({"username": _("Không có tài khoản “%(u)s”.") % {"u": payload.username.strip()}})
    try:
        grant = services.grant_add(actor=actor, user=user, role=payload.role, unit=unit,
                                   cross_unit_reason=payload.cross_unit_reason)
    except ValidationError as exc:
        if exc.code == "cross_unit":
            raise ValidationError({"cross_unit_reason": exc.messages}) from exc
        raise
    return Status(201, grant)


@router.post("/{grant_id}/end", response=GrantOut, summary="End a grant from today (kept for history)")
def grant_end(request: HttpRequest, grant_id: Id) -> RoleGrant:
    actor = user_of(request)
    grant = scoping.get_visible_or_404(_administered(actor), actor, pk=grant_id)
    return services.grant_end(actor=actor, grant=grant, on=timezone.localdate())
