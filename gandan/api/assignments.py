"""/assignments: rules, assignments, coverage and proposals (see gandan/assignments).

Reads start from the caller's scope: a unit, cadre or assignment outside it answers the same 404
as a missing one. Writes need unit_admin or leader over the target's unit (403 otherwise).
"""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.assignments import coverage_queries as cq
from gandan.assignments import queries, services
from gandan.assignments import rules as R
from gandan.assignments.models import Assignment, FollowerRole
from gandan.assignments.proposals import levels_to_fill, proposal_make
from gandan.assignments.services import NOT_ASSIGNER, BatchRejected
from gandan.core.input_types import Count, Id, Line
from gandan.org.models import Household
from gandan.people import scoping
from gandan.people.queries import cadre_get
from gandan.people.unit_queries import unit_get

router = Router(tags=["assignments"])


# -- shapes ---------------------------------------------------------------------------------------
class RuleIO(Schema):
    agency_level: Line = Field(description="province, district or commune: the level of the cadre's unit")
    target_level: Line = Field(description="district, commune, village or household")
    primary_allowed: bool = True
    supporting_allowed: bool = True
    load_cap: Count | None = Field(None, ge=1, description="most targets of this level one cadre follows as primary")


class RulesOut(Schema):
    province_id: int
    is_default: bool = Field(description="true: the province has no rules yet and the two-tier default applies")
    rules: list[RuleIO]


class RulesIn(Schema):
    rules: list[RuleIO]


class AssignmentOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int | None
    household_id: int | None
    area_id: int = Field(description="the unit followed, or the household's village")
    target_level: str
    target_name: str
    role: str
    start: dt.date
    end: dt.date | None = Field(description="first day it no longer applies; null = open")

    @staticmethod
    def resolve_cadre_name(obj: Assignment) -> str:
        return obj.cadre.full_name

    @staticmethod
    def resolve_target_level(obj: Assignment) -> str:
        return obj.unit.level.code if obj.unit else "household"

    @staticmethod
    def resolve_target_name(obj: Assignment) -> str:
        return obj.target_label


class AssignmentFilter(Schema):
    unit: Id | None = Field(None, description="only targets in this unit's subtree")
    cadre: Id | None = None
    role: Line = Field("", description="primary or supporting")
    state: Line = Field("active", pattern="^(active|ended|all)$")


class AssignmentIn(Schema):
    cadre_id: Id
    unit_id: Id | None = None
    household_id: Id | None = None
    role: Line = Field(FollowerRole.PRIMARY, pattern="^(primary|supporting)$")
    start: dt.date | None = Field(None, description="default today")
    end: dt.date | None = None


class EndIn(Schema):
    on: dt.date | None = Field(None, description="the first day no longer followed; default today")


class TallyOut(Schema):
    level: str
    covered: int
    total: int
    rate: float | None


class ChildOut(Schema):
    unit_id: int
    name: str
    covered: bool = Field(description="the child itself has an active primary follower")
    levels: list[TallyOut]


class FollowerOut(Schema):
    cadre_id: int
    full_name: str
    agency_name: str
    primary: dict[str, int]
    supporting: dict[str, int]


class LoadOut(Schema):
    level: str
    followers: int
    mean: float | None
    minimum: int | None
    maximum: int | None
    cv: float | None = Field(description="coefficient of variation of the loads (imbalance)")
    max_min_ratio: float | None
    cap: int | None
    over_cap: int
    eligible: int
    idle: int


class CoverageOut(Schema):
    unit_id: int
    levels: list[TallyOut]
    children: list[ChildOut]
    followers: list[FollowerOut]
    loads: list[LoadOut]


class ProposalIn(Schema):
    unit_id: Id
    level: Line = Field(pattern="^(district|commune|village|household)$")


class PickOut(Schema):
    kind: str
    target_id: int
    target_name: str
    cadre_id: int | None
    km: float | None
    inside: bool = Field(description="the cadre lives or works inside the target")
    options: list[int] = Field(description="cadres that may be chosen instead")


class ProposalOut(Schema):
    unit_id: int
    level: str
    total_gaps: int
    filled: int
    picks: list[PickOut]


class PickIn(Schema):
    kind: Line = Field(pattern="^(unit|household)$")
    target_id: Id
    cadre_id: Id


class AcceptIn(Schema):
    unit_id: Id
    picks: list[PickIn] = Field(min_length=1)
    start: dt.date | None = None


class RowErrorOut(Schema):
    detail: list[dict[str, Any]]


def _tallies(tallies: dict) -> list[dict[str, Any]]:
    return [{"level": lvl, "covered": t.covered, "total": t.total, "rate": t.rate} for lvl, t in tallies.items()]


def _rejected(exc: BatchRejected, where: str) -> Status:
    detail = [{"loc": ["body", where, e.line - 1, e.field], "msg": e.message, "type": "value_error"}
              for e in exc.rows]
    return Status(422, {"detail": detail})


# -- rules ----------------------------------------------------------------------------------------
def _province(request: HttpRequest, province_id: int) -> Any:
    unit = unit_get(user_of(request), province_id)
    if unit.level.code != "province":
        raise Http404
    return unit


@router.get("/rules/{int:province_id}", response=RulesOut, summary="The province's assignment rules")
def rules_get(request: HttpRequest, province_id: Id) -> dict[str, Any]:
    province = _province(request, province_id)
    rules, default = queries.province_rules(province)
    return {"province_id": province.pk, "is_default": default, "rules": [asdict(r) for r in rules]}


@router.put("/rules/{int:province_id}", response=RulesOut, summary="Replace the province's assignment rules")
def rules_put(request: HttpRequest, province_id: Id, body: RulesIn) -> dict[str, Any]:
    province = _province(request, province_id)
    services.rules_set(actor=user_of(request), province=province,
                       rules=[R.RuleSpec(**r.model_dump()) for r in body.rules])
    return rules_get(request, province_id)


# -- assignments ----------------------------------------------------------------------------------
@router.get("", response=list[AssignmentOut], summary="Assignments in scope (active by default)")
@paginate(Paged)
def assignment_list(request: HttpRequest, filters: Query[AssignmentFilter]) -> QuerySet[Assignment]:
    user = user_of(request)
    unit = unit_get(user, filters.unit) if filters.unit is not None else None
    cadre = cadre_get(user, filters.cadre) if filters.cadre is not None else None
    return queries.assignments_in(user, unit, cadre=cadre, role=filters.role, state=filters.state).order_by(
        "area__path", "household__code", "-start", "id")


@router.post("", response={201: AssignmentOut}, summary="Assign a cadre to a unit or a household")
def assignment_create(request: HttpRequest, body: AssignmentIn) -> Assignment:
    user = user_of(request)
    if (body.unit_id is None) == (body.household_id is None):
        raise ValidationError({"unit_id": _("Cần đúng một trong unit_id hoặc household_id")})
    cadre = cadre_get(user, body.cadre_id)
    unit = unit_get(user, body.unit_id) if body.unit_id is not None else None
    household = (scoping.get_in_scope_or_404(Household.objects.select_related("village"), user, "village__path",
                                             pk=body.household_id) if body.household_id is not None else None)
    created = services.assignment_create(actor=user, cadre=cadre, unit=unit, household=household, role=body.role,
                                         start=body.start, end=body.end)
    return queries.assignment_get(user, created.pk)


@router.get("/{int:assignment_id}", response=AssignmentOut)
def assignment_detail(request: HttpRequest, assignment_id: Id) -> Assignment:
    return queries.assignment_get(user_of(request), assignment_id)


@router.post("/{int:assignment_id}/end", response=AssignmentOut, summary="Close an assignment (kept as history)")
def assignment_end(request: HttpRequest, assignment_id: Id, body: EndIn) -> Assignment:
    user = user_of(request)
    assignment = queries.assignment_get(user, assignment_id)
    services.assignment_end(actor=user, assignment=assignment, on=body.on)
    return queries.assignment_get(user, assignment_id)


# -- coverage and proposals -----------------------------------------------------------------------
@router.get("/coverage/{int:unit_id}", response=CoverageOut, summary="Coverage, drill-down and loads below a unit")
def coverage(request: HttpRequest, unit_id: Id) -> dict[str, Any]:
    unit = unit_get(user_of(request), unit_id)
    tallies = cq.level_tallies(unit)
    followers = cq.follower_loads(unit)
    rules, _default = queries.province_rules(unit.province or unit)
    loads = cq.level_loads(unit, followers, rules, [lvl for lvl in tallies if lvl in levels_to_fill(unit, rules)])
    return {
        "unit_id": unit.pk,
        "levels": _tallies(tallies),
        "children": [{"unit_id": c.unit.pk, "name": c.unit.name, "covered": c.covered, "levels": _tallies(c.tallies)}
                     for c in cq.child_tallies(unit)],
        "followers": [{"cadre_id": f.cadre.pk, "full_name": f.cadre.full_name, "agency_name": f.cadre.agency.name,
                       "primary": f.primary, "supporting": f.supporting} for f in followers],
        "loads": [{"level": x.level, "followers": x.stats.count, "mean": x.stats.mean, "minimum": x.stats.minimum,
                   "maximum": x.stats.maximum, "cv": x.stats.cv, "max_min_ratio": x.stats.max_min_ratio,
                   "cap": x.cap, "over_cap": x.over_cap, "eligible": x.eligible, "idle": x.idle} for x in loads],
    }


@router.post("/proposals", response=ProposalOut, summary="Propose followers for a unit's gaps (nothing is saved)")
def proposal_create(request: HttpRequest, body: ProposalIn) -> dict[str, Any]:
    user = user_of(request)
    unit = unit_get(user, body.unit_id)
    if not queries.may_assign(user, unit):
        raise PermissionDenied(NOT_ASSIGNER)
    proposal = proposal_make(user, unit, body.level)
    return {"unit_id": unit.pk, "level": body.level, "total_gaps": proposal.total_gaps, "filled": proposal.filled,
            "picks": [{"kind": r.gap.kind, "target_id": r.gap.id, "target_name": str(r.target),
                       "cadre_id": r.cadre_id, "km": r.km, "inside": r.inside, "options": r.options}
                      for r in proposal.rows]}


@router.post("/proposals/accept", response={201: list[AssignmentOut], 422: RowErrorOut},
             summary="Accept a (possibly edited) proposal: every pick becomes a primary assignment, or none")
def proposal_accept(request: HttpRequest, body: AcceptIn) -> Status:
    user = user_of(request)
    unit = unit_get(user, body.unit_id)
    try:
        created = services.proposal_accept(actor=user, unit=unit, start=body.start,
                                           picks=[(p.kind, p.target_id, p.cadre_id) for p in body.picks])
    except BatchRejected as exc:
        return _rejected(exc, "picks")
    rows = queries.assignments_in(user, state="all").filter(pk__in=[a.pk for a in created]).order_by("id")
    return Status(201, list(rows))
