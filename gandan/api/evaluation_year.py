"""/evaluation/year and /evaluation/commendations: the year's results of the cadres the caller leads
(computed for an agency by the rubric's annual rule), the emulation titles a result may be proposed for
and those proposed, and the commendations of the one register of decisions (recorded here, read with
the campaigns' decisions on models). Scoped like the year page: a result outside the caller's view is a
404 like a missing one; a commendation is seen by the cadre, their assessor, the leadership and the
administrators only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.core.input_types import Id, Line, Text
from gandan.evaluation import queries, scoring, task_groups, year_services
from gandan.evaluation.models import AnnualResult, TitleProposal
from gandan.evaluation.rubric import shown_label

router = Router(tags=["evaluation"])


class TitleOut(Schema):
    code: str
    label: str
    min_grade: str = Field(description="the lowest grade of the year it needs")


class TitleProposalOut(Schema):
    id: int
    title: str
    label: str
    status: str = Field(description="proposed, awarded or declined")
    decision_id: int | None = Field(description="the commendation that awarded it, in the register of decisions")

    @staticmethod
    def resolve_label(obj: TitleProposal) -> str:
        return obj.shown_label


class AnnualOut(Schema):
    id: int
    year: int
    kind: str
    cadre_id: int
    cadre_name: str
    agency_id: int
    rubric_id: int
    months_counted: int
    total: Decimal | None
    grade: str
    computed_grade: str = Field(description="by the rule and vetoes, before the year's cap")
    vetoes: list[str]

    @staticmethod
    def resolve_cadre_name(obj: AnnualResult) -> str:
        return obj.cadre.full_name


class AnnualDetailOut(AnnualOut):
    months: list[dict[str, Any]] = Field(description="the months counted: month, total, grade, sheet, sent_along")
    titles: list[TitleOut] = Field(description="the titles of its rubric that may be proposed")
    proposals: list[TitleProposalOut]

    @staticmethod
    def resolve_titles(obj: AnnualResult) -> list[dict[str, str]]:
        return [{"code": code, "label": shown_label(label), "min_grade": grade}
                for code, label, grade in scoring.rubric_rules(obj.rubric).titles]

    @staticmethod
    def resolve_proposals(obj: AnnualResult) -> list[TitleProposal]:
        return list(obj.proposals.all())


class YearComputeIn(Schema):
    agency_id: Id
    year: int = Field(ge=2000, le=2100)


class TitleProposeIn(Schema):
    title: Line = Field(description="a code of the result's titles")


class CommendationIn(Schema):
    number: Line = Field(max_length=60, description="e.g. 125/QĐ-UBND")
    date: dt.date
    level: Line = Field(description="commune, district, province or central")
    reason: Text = Field(max_length=2000)
    title: Line = Field(default="", description="the code of the proposal it awards, if any")


class CommendationOut(Schema):
    decision_id: int
    number: str
    date: dt.date
    level: str
    cadre_id: int | None
    name: str
    reason: str
    source: str = Field(description="evaluation (a cadre's commendation) or campaigns (a decision on a model)")


def _chosen(year: int | None) -> int:
    """The year asked, or this year when none is (the query refuses one outside 2000–2100 with a 422)."""
    return year if year is not None else timezone.localdate().year


@router.get("/year", response=list[AnnualOut], summary="The year's results of the cadres I lead (?year=2026)")
def year_results(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)) -> list[AnnualResult]:
    return list(queries.annual_results(user_of(request), _chosen(year))[:5000])


@router.post("/year/compute", response=list[AnnualOut],
             summary="Compute the year of an agency's cadres (its leadership), replacing the agency's results")
def year_compute(request: HttpRequest, payload: YearComputeIn) -> list[AnnualResult]:
    user = user_of(request)
    agency = task_groups.agency_get(user, payload.agency_id)  # the agencies the caller leads or administers
    year_services.annual_compute(actor=user, agency=agency, year=payload.year)
    return list(queries.annual_results(user, payload.year).filter(agency_id=payload.agency_id))


@router.get("/year/{annual_id}", response=AnnualDetailOut,
            summary="One cadre's year: the months counted, the titles it may be proposed for, those proposed")
def year_detail(request: HttpRequest, annual_id: Id) -> AnnualResult:
    return queries.annual_get(user_of(request), annual_id)


@router.post("/year/{annual_id}/titles", response={201: AnnualDetailOut},
             summary="Propose an emulation title of the rubric's list (the year's grade must reach it)")
def title_propose(request: HttpRequest, annual_id: Id, payload: TitleProposeIn) -> Status:
    user = user_of(request)
    year_services.title_propose(actor=user, annual=queries.annual_get(user, annual_id), title=payload.title)
    return Status(201, queries.annual_get(user, annual_id))


@router.post("/year/{annual_id}/commendations", response={201: CommendationOut},
             summary="Record a commendation of the year's cadre in the register of decisions "
                     "(number, date, level, reason), awarding the proposal of `title` if named")
def commendation_record(request: HttpRequest, annual_id: Id, payload: CommendationIn) -> Status:
    user = user_of(request)
    annual = queries.annual_get(user, annual_id)
    proposal = annual.proposals.filter(title=payload.title).first() if payload.title else None
    if payload.title and proposal is None:
        raise ValidationError({"title": [_("Chưa đề nghị danh hiệu này cho kết quả năm.")]})
    decision = year_services.commendation_record(actor=user, cadre=annual.cadre, number=payload.number,
                                                 date=payload.date, level=payload.level, reason=payload.reason,
                                                 proposal=proposal)
    row = next(r for r in queries.commendations(user, decision.date.year, cadre_id=annual.cadre_id)
               if r.decision_id == decision.pk)
    return Status(201, row)


@router.get("/commendations", response=list[CommendationOut],
            summary="The year's commendations I may see: my own, of the cadres I assess, lead or administer")
def commendations(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)) -> list[Any]:
    return queries.commendations(user_of(request), _chosen(year))
