"""/evaluation: my sheets, one sheet with its evidence, the steps (1: self-assessment, 2: assessment,
3: conclusion of an agency's month, and the reopening by the level above), the conclusion preview
(distribution, cap, who is above the line) and the published results. The same services and scoped
queries as the screens: a sheet or month outside the caller's view is a 404 exactly like a missing one.
A refused step is a 403 (not the right person) or a 422 naming the field (out of order, a bad value,
the cap exceeded); a step sent with a stale `version` (the sheet changed since) answers 409."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.core.concurrency import Stale
from gandan.core.input_types import Count, Id, Line, Text
from gandan.evaluation import queries, scoring, services
from gandan.evaluation.models import AgencyMonth, Sheet
from gandan.plans.periods import month_of, previous_month

router = Router(tags=["evaluation"])
MAX_CRITERIA = 40


class ScoreOut(Schema):
    code: str
    self_points: Decimal | None
    assessor_points: Decimal | None
    reason: str


class SheetOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    month: dt.date
    status: str
    rubric_id: int
    general_points: Decimal | None
    task_points: Decimal | None
    total: Decimal | None
    grade: str
    on_leave: bool
    version: int = Field(description="send it back with a step: a stale version answers 409")

    @staticmethod
    def resolve_cadre_name(obj: Sheet) -> str:
        return obj.cadre.full_name


class SheetDetailOut(SheetOut):
    evidence: dict[str, Any] = Field(description="tasks, fieldwork, petitions, campaigns: figures and record ids")
    scores: list[ScoreOut]
    initiatives: bool
    initiatives_reason: str
    self_comment: str
    assessor_comment: str

    @staticmethod
    def resolve_scores(obj: Sheet) -> list[Any]:
        return list(obj.scores.all())


class SelfIn(Schema):
    points: dict[Line, Line] = Field(description="criterion code → points (0 to its maximum, two decimals)",
                                     max_length=MAX_CRITERIA)
    comment: Text = ""
    version: Count | None = Field(None, description="the sheet's version the caller saw; omit to act on the latest")


class SheetAssessIn(Schema):
    points: dict[Line, Line] = Field(max_length=MAX_CRITERIA)
    reasons: dict[Line, Text] = Field(default_factory=dict, description="criterion code → why the points changed",
                                      max_length=MAX_CRITERIA)
    comment: Text = ""
    exceeding: Decimal | None = Field(None, ge=0, le=100000, description="products exceeding requirements")
    version: Count | None = Field(None, description="the sheet's version the caller saw; omit to act on the latest")


class MonthOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    month: dt.date
    status: str
    published: bool

    @staticmethod
    def resolve_agency_name(obj: AgencyMonth) -> str:
        return obj.agency.name


class RowOut(Schema):
    sheet_id: int
    cadre_name: str
    total: Decimal | None
    computed: str
    grade: str
    vetoes: list[str]
    above_line: bool
    version: int = Field(description="the sheet's version: send it back in `versions` when concluding")


class CapOut(Schema):
    scope: str = Field(description="empty for the whole agency, else the group of similar tasks")
    allowed: int
    excellent: int
    base: int


class ConclusionOut(Schema):
    month: MonthOut
    distribution: dict[str, int]
    cap: list[CapOut]
    above_line: list[int] = Field(description="sheet ids above the line: conclusion refused while any")
    not_ready: list[int] = Field(description="sheet ids not yet through step 2")
    rows: list[RowOut]


class ConcludeIn(Schema):
    vetoes: dict[Id, list[Line]] = Field(default_factory=dict, description="sheet id → veto codes",
                                         max_length=5000)
    grades: dict[Id, Line] = Field(default_factory=dict, description="sheet id → a lower grade than by score",
                                   max_length=5000)
    versions: dict[Id, Count] = Field(default_factory=dict, max_length=5000, description=(
        "sheet id → the version read: one that moved since answers 409 and nothing is concluded"))


class ReopenIn(Schema):
    reason: Text


class PublishedRow(Schema):
    rank: int
    name: str
    total: Decimal | None
    grade: str


def _conclusion(month: AgencyMonth, data: ConcludeIn | None = None) -> dict[str, Any]:
    result = scoring.conclusion(month, services.month_sheets(month), vetoes=data.vetoes if data else None,
                                grades=data.grades if data else None)
    return {"month": month, "distribution": result.distribution,
            "cap": [{"scope": c.scope, "allowed": c.allowed, "excellent": c.excellent, "base": c.base}
                    for c in result.cap],
            "above_line": result.above, "not_ready": [s.pk for s in result.not_ready],
            "rows": [{"sheet_id": r.sheet.pk, "cadre_name": r.sheet.cadre.full_name,
                      "total": r.score.total if r.score else None, "computed": r.computed, "grade": r.grade,
                      "vetoes": r.vetoes, "above_line": r.above_line, "version": r.sheet.version}
                     for r in result.rows]}


@router.get("/sheets/mine", response=list[SheetOut], summary="My evaluation sheets, newest first")
def my_sheets(request: HttpRequest) -> list[Sheet]:
    return list(queries.my_sheets(user_of(request)).select_related("cadre")[:60])


@router.get("/sheets/waiting", response=list[SheetOut], summary="Sheets through step 1 waiting for my assessment")
def waiting(request: HttpRequest) -> list[Sheet]:
    return list(queries.to_assess(user_of(request))[:500])


@router.get("/sheets/{sheet_id}", response=SheetDetailOut, summary="One sheet with its evidence and scores")
def sheet_detail(request: HttpRequest, sheet_id: Id) -> Sheet:
    return queries.sheet_get(user_of(request), sheet_id)


class StaleOut(Schema):
    detail: str


@router.post("/sheets/{sheet_id}/self", response={200: SheetDetailOut, 409: StaleOut},
             summary="Step 1: the cadre scores the criteria")
def sheet_self(request: HttpRequest, sheet_id: Id, payload: SelfIn) -> Status:
    user = user_of(request)
    try:
        services.sheet_self_assess(actor=user, sheet=queries.sheet_get(user, sheet_id), points=payload.points,
                                   comment=payload.comment, version=payload.version)
    except Stale as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, queries.sheet_get(user, sheet_id))


@router.post("/sheets/{sheet_id}/assess", response={200: SheetDetailOut, 409: StaleOut},
             summary="Step 2: the assessor confirms or changes each criterion (a change needs its reason)")
def sheet_assess(request: HttpRequest, sheet_id: Id, payload: SheetAssessIn) -> Status:
    user = user_of(request)
    try:
        services.sheet_assess(actor=user, sheet=queries.sheet_get(user, sheet_id), points=payload.points,
                              reasons=payload.reasons, comment=payload.comment, exceeding=payload.exceeding,
                              version=payload.version)
    except Stale as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, queries.sheet_get(user, sheet_id))


class InitiativesIn(Schema):
    initiatives: bool
    reason: Text = Field("", max_length=2000, description="what the initiatives were (needed when true)")


@router.post("/sheets/{sheet_id}/initiatives", response=SheetDetailOut,
             summary="A leader's initiatives this month, for the organising criterion (step 2 or 3)")
def sheet_initiatives(request: HttpRequest, sheet_id: Id, payload: InitiativesIn) -> Sheet:
    user = user_of(request)
    services.sheet_initiatives(actor=user, sheet=queries.sheet_get(user, sheet_id), initiatives=payload.initiatives,
                               reason=payload.reason)
    return queries.sheet_get(user, sheet_id)


@router.get("/months", response=list[MonthOut], summary="The agencies' months I lead (?month=2026-03)")
def months(request: HttpRequest, month: Line = "") -> list[AgencyMonth]:
    first = month_of(month, previous_month(timezone.localdate()))
    return list(queries.months_led(user_of(request)).filter(month=first).order_by("agency__name")[:2000])


@router.get("/months/{month_id}", response=ConclusionOut,
            summary="Step 3 preview: the distribution, the cap and who is above the line")
def month_detail(request: HttpRequest, month_id: Id) -> dict[str, Any]:
    return _conclusion(queries.month_get(user_of(request), month_id))


@router.post("/months/{month_id}/conclude", response={200: ConclusionOut, 409: StaleOut},
             summary="Step 3: conclude and lock the agency's month (refused above the cap)")
def month_conclude(request: HttpRequest, month_id: Id, payload: ConcludeIn) -> Status:
    user = user_of(request)
    try:
        month = services.month_conclude(actor=user, month=queries.month_get(user, month_id), vetoes=payload.vetoes,
                                        grades=payload.grades, versions=payload.versions)
    except services.SheetsChanged as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _conclusion(queries.month_get(user, month.pk)))


@router.post("/months/{month_id}/reopen", response=MonthOut,
             summary="Reopen a concluded month (the level above only), with a reason")
def month_reopen(request: HttpRequest, month_id: Id, payload: ReopenIn) -> AgencyMonth:
    user = user_of(request)
    reopening = services.month_reopen(actor=user, month=queries.month_get(user, month_id), reason=payload.reason)
    return queries.month_get(user, reopening.agency_month_id)


@router.get("/published", response=list[PublishedRow],
            summary="My agency's concluded month: rank, name, score and grade, nothing else")
def published(request: HttpRequest, month: Line = "") -> list[dict[str, Any]]:
    first = month_of(month, previous_month(timezone.localdate()))
    result = queries.published_month(user_of(request), first)
    if result is None:
        return []
    return [{"rank": rank, "name": name, "total": total, "grade": grade} for rank, name, total, grade in result.rows]
