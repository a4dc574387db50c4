"""/campaigns: the indicator catalogue, campaigns and their totals and compliance, events (idempotent
by client UUID, like visits) and their photos, and the register of exemplary models and decisions.

POST /events and POST /models answer as POST /fieldwork/visits does: 201 recorded · 200 this UUID
was already recorded with this body (nothing written) · 409 this UUID was recorded with another
body · 423 the month is locked · 422 invalid (each error names its field, e.g. outputs.2.measure).
"""

# No `from __future__ import annotations` here: @paginate wraps the route (see api/fieldwork.py).

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.campaigns import model_queries, model_services, queries, services
from gandan.campaigns.inputs import DecisionIn, EventChange, EventIn, ModelIn
from gandan.campaigns.models import Campaign, CampaignEvent, ExemplaryModel, Indicator
from gandan.core.input_types import Id, Line
from gandan.fieldwork.photos import PhotoRejected
from gandan.people.models import User
from gandan.people.unit_queries import unit_get

router = Router(tags=["campaigns"])


class Error(Schema):
    detail: str


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    measure: str


class CampaignOut(Schema):
    id: int
    name: str
    agency_id: int
    unit_id: int
    starts_on: dt.date
    ends_on: dt.date | None
    schedule: str
    dates: list[str]
    min_events: int
    rule_period: str
    rule_employment_types: list[str]
    indicators: list[str]
    scope: list[dict[str, Any]]

    @staticmethod
    def resolve_indicators(obj: Campaign) -> list[str]:
        return [i.code for i in obj.indicators.all()]

    @staticmethod
    def resolve_scope(obj: Campaign) -> list[dict[str, Any]]:
        return [{"unit_id": s.unit_id, "with_subtree": s.with_subtree} for s in obj.scope.all()]


class OutputOut(Schema):
    indicator: str
    amount: Decimal
    measure: str


class EventOut(Schema):
    id: int
    client_uuid: uuid.UUID
    campaign_id: int
    date: dt.date
    unit_id: int
    recorded_unit_id: int
    agency_id: int
    cadre_ids: list[int]
    visit_ids: list[int]
    cadre_participations: int
    citizens: int
    citizen_groups: dict[str, int]
    party_members_reached: int
    party_cell_ids: list[int]
    outputs: list[OutputOut]
    notes: str
    photos: list[str]

    @staticmethod
    def resolve_cadre_ids(obj: CampaignEvent) -> list[int]:
        return sorted(link.cadre_id for link in obj.cadre_links.all())

    @staticmethod
    def resolve_visit_ids(obj: CampaignEvent) -> list[int]:
        return sorted(link.visit_id for link in obj.cadre_links.all() if link.visit_id)

    @staticmethod
    def resolve_party_cell_ids(obj: CampaignEvent) -> list[int]:
        return sorted(c.pk for c in obj.party_cells.all())

    @staticmethod
    def resolve_outputs(obj: CampaignEvent) -> list[dict[str, Any]]:
        return [{"indicator": o.indicator.code, "amount": o.amount, "measure": o.measure}
                for o in obj.outputs.select_related("indicator")]

    @staticmethod
    def resolve_photos(obj: CampaignEvent) -> list[str]:
        return [f"/campaigns/photos/{p.pk}/" for p in obj.photos.all()]


class TotalsOut(Schema):
    events: int
    participations: int
    named_participations: int
    participants: int
    citizens: int
    party_members: int
    party_cells: int
    outputs: list[dict[str, Any]]
    by_unit: list[dict[str, Any]]
    by_month: list[dict[str, Any]]


class PeriodFilter(Schema):
    unit: Id | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class EventFilter(PeriodFilter):
    campaign: Id | None = None
    cadre: Id | None = None
    indicator: Line = ""


def _filters(user: User, f: PeriodFilter, campaign: Campaign | None = None, cadre: int | None = None,
             indicator: str = "") -> queries.EventFilters:
    return queries.EventFilters(campaign=campaign, unit=unit_get(user, f.unit) if f.unit else None,
                                date_from=f.date_from, date_to=f.date_to, cadre_id=cadre, indicator=indicator)


@router.get("/indicators", response=list[IndicatorOut], summary="The shared indicator catalogue")
def indicator_list(request: HttpRequest) -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True)


@router.get("/events", response=list[EventOut], summary="Events in scope, newest first (the drill-down of a total)")
@paginate(Paged)
def event_list(request: HttpRequest, filters: Query[EventFilter]) -> QuerySet[CampaignEvent]:
    user = user_of(request)
    campaign = queries.campaign_get(user, filters.campaign) if filters.campaign else None
    return queries.events_filtered(user, _filters(user, filters, campaign, filters.cadre, filters.indicator)) \
        .prefetch_related("cadre_links", "party_cells", "photos")


@router.post("/events", response={200: EventOut, 201: EventOut, 409: Error, 423: Error},
             summary="Record an event (idempotent by client_uuid)")
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    user = user_of(request)
    campaign = queries.campaign_get(user, payload.campaign_id)
    try:
        event, created = services.event_record(actor=user, campaign=campaign, data=payload)
    except services.EventConflict as exc:
        return Status(409, {"detail": str(exc)})
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(201 if created else 200, event)


@router.get("/events/{event_id}", response=EventOut)
def event_detail(request: HttpRequest, event_id: Id) -> CampaignEvent:
    return queries.event_get(user_of(request), event_id)


@router.put("/events/{event_id}", response={200: EventOut, 423: Error}, summary="Correct an event (audited)")
def event_update(request: HttpRequest, event_id: Id, payload: EventChange) -> Status:
    user = user_of(request)
    event = queries.event_get(user, event_id)
    try:
        services.event_update(actor=user, event=event, data=payload)
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(200, queries.event_get(user, event_id))


@router.delete("/events/{event_id}", response={204: None, 423: Error}, summary="Delete an event and its visits")
def event_delete(request: HttpRequest, event_id: Id) -> Status:
    user = user_of(request)
    try:
        services.event_delete(actor=user, event=queries.event_get(user, event_id))
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(204, None)


@router.post("/events/{event_id}/photos", response={200: dict[str, Any], 201: dict[str, Any]},
             summary="Attach a photo (JPEG, PNG or WebP; the same picture twice is stored once)")
def event_photo(request: HttpRequest, event_id: Id, file: File[UploadedFile]) -> Status:
    user = user_of(request)
    try:
        photo, created = services.photo_add(actor=user, event=queries.event_get(user, event_id), upload=file)
    except PhotoRejected as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    return Status(201 if created else 200, {"id": photo.pk, "url": f"/campaigns/photos/{photo.pk}/"})


# -- exemplary models -------------------------------------------------------------------------------
class DecisionOut(Schema):
    id: int
    status: str
    number: str
    date: dt.date
    level: str
    issuer: str


class ModelOut(Schema):
    id: int
    client_uuid: uuid.UUID
    unit_id: int
    campaign_id: int | None
    holder_kind: str
    holder_name: str
    cadre_id: int | None
    agency_id: int | None
    title: str
    field: str
    description: str
    evidence: str
    registered_on: dt.date
    status: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj: ExemplaryModel) -> list[Any]:
        return list(obj.decisions.all())


class ModelFilter(PeriodFilter):
    status: Line = ""
    field: Line = ""
    holder_kind: Line = ""
    campaign: Id | None = None


def _model_filters(user: User, f: ModelFilter) -> model_queries.ModelFilters:
    return model_queries.ModelFilters(unit=unit_get(user, f.unit) if f.unit else None, status=f.status,
                                      field=f.field, holder_kind=f.holder_kind, campaign_id=f.campaign,
                                      date_from=f.date_from, date_to=f.date_to)


@router.get("/models", response=list[ModelOut], summary="The register of exemplary models in scope")
@paginate(Paged)
def model_list(request: HttpRequest, filters: Query[ModelFilter]) -> QuerySet[ExemplaryModel]:
    user = user_of(request)
    return model_queries.models_filtered(user, _model_filters(user, filters)).prefetch_related("decisions")


@router.get("/models/counts", summary="Models by status, field, holder kind and unit; praise and commendations")
def model_counts(request: HttpRequest, filters: Query[ModelFilter]) -> dict[str, Any]:
    user = user_of(request)
    c = model_queries.model_counts(user, _model_filters(user, filters))
    return {"total": c.total, "by_status": c.by_status, "by_field": c.by_field, "by_holder_kind": c.by_kind,
            "by_unit": [{"unit_id": u.pk, "name": u.name, "models": n} for u, n in c.by_unit],
            "commendations": c.commendations}


@router.post("/models", response={200: ModelOut, 201: ModelOut, 409: Error},
             summary="Register an exemplary model (idempotent by client_uuid)")
def model_create(request: HttpRequest, payload: ModelIn) -> Status:
    try:
        model, created = model_services.model_register(actor=user_of(request), data=payload)
    except model_services.ModelConflict as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201 if created else 200, model)


@router.get("/models/{model_id}", response=ModelOut)
def model_detail(request: HttpRequest, model_id: Id) -> ExemplaryModel:
    return model_queries.model_get(user_of(request), model_id)


@router.post("/models/{model_id}/decisions", response={201: ModelOut},
             summary="Record a decision: recognised, praised or commended (number, date, level)")
def model_decide(request: HttpRequest, model_id: Id, payload: DecisionIn) -> Status:
    user = user_of(request)
    model = model_queries.model_get(user, model_id)
    model_services.model_decide(actor=user, model=model, data=payload)
    return Status(201, model_queries.model_get(user, model_id))


# -- campaigns ----------------------------------------------------------------------------------------
@router.get("", response=list[CampaignOut], summary="Campaigns organised in scope or reaching it")
@paginate(Paged)
def campaign_list(request: HttpRequest) -> QuerySet[Campaign]:
    return queries.campaigns_visible(user_of(request)).prefetch_related("indicators", "scope")


@router.get("/{campaign_id}", response=CampaignOut)
def campaign_detail(request: HttpRequest, campaign_id: Id) -> Campaign:
    return queries.campaign_get(user_of(request), campaign_id)


@router.get("/{campaign_id}/totals", response=TotalsOut,
            summary="Participations, participants, citizens and outputs per indicator (never across measures)")
def campaign_totals(request: HttpRequest, campaign_id: Id, filters: Query[PeriodFilter]) -> dict[str, Any]:
    user = user_of(request)
    t = queries.totals(user, _filters(user, filters, queries.campaign_get(user, campaign_id)))
    return {
        "events": t.events, "participations": t.participations, "named_participations": t.named_participations,
        "participants": t.participants, "citizens": t.citizens, "party_members": t.party_members,
        "party_cells": t.party_cells,
        "outputs": [{"indicator": o.code, "name": o.name, "measure": o.measure, "amount": str(o.amount),
                     "events": o.events} for o in t.outputs],
        "by_unit": [{"unit_id": r.unit.pk if r.unit else None, "name": r.unit.name if r.unit else "",
                     "events": r.events, "participations": r.participations, "citizens": r.citizens}
                    for r in t.by_unit],
        "by_month": [{"month": m.month, "events": m.events, "participations": m.participations,
                      "citizens": m.citizens,
                      "outputs": [{"indicator": k[0], "measure": k[1], "amount": str(v)} for k, v in m.outputs.items()]}
                     for m in t.by_month],
    }


@router.get("/{campaign_id}/compliance", summary="Who has not joined enough events, per month or quarter")
def campaign_compliance(request: HttpRequest, campaign_id: Id, filters: Query[PeriodFilter]) -> dict[str, Any]:
    user = user_of(request)
    campaign = queries.campaign_get(user, campaign_id)
    report = queries.compliance(user, campaign, unit=unit_get(user, filters.unit) if filters.unit else None,
                                date_from=filters.date_from, date_to=filters.date_to)
    return {"rule": {"min_events": campaign.min_events, "period": campaign.rule_period},
            "periods": report.periods, "expected": report.expected, "complying": report.complying,
            "behind": [{"cadre_id": r.cadre.pk, "full_name": r.cadre.full_name, "agency": r.cadre.agency.name,
                        "period": r.period, "joined": r.joined, "required": r.required} for r in report.behind]}
