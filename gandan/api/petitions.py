"""/petitions: citizens' concerns for our own clients (the phone app, the web) — list, get, create,
each step of the life cycle, and the rates. Every route reads through the caller's scope: a concern
outside it answers 404 exactly as a missing one. The citizen's contact is null unless the caller
handles the concern or leads the place. Two handlers acting at once: the loser gets 409.

The open standard (Open311 GeoReport v2) lives at /petitions/open311/v2/ (see gandan/petitions/open311.py).
"""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.core.input_types import Count, Id, Line, Text
from gandan.org.models import AdminUnit, Household
from gandan.people import scoping
from gandan.petitions import access, queries, reports, routing, services, states
from gandan.petitions.models import Channel, Petition
from gandan.petitions.rates import Figures

router = Router(tags=["petitions"])


class ErrorOut(Schema):
    detail: str


def _sees(obj: Petition, context: Any) -> bool:
    return access.sees_contact(context["request"].auth, obj)


class PetitionOut(Schema):
    id: int
    code: str = Field(description="public tracking code PAKN.YYYYMMDD.NNNN")
    status: str
    status_label: str
    kind: str
    unit_id: int
    unit_name: str
    field: str
    urgency: str
    channel: str
    text: str
    source_ref: str
    holder_unit_id: int
    holder_agency_id: int | None
    holder_cadre_id: int | None
    holder_name: str
    received_at: dt.datetime
    accept_due_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    version: int = Field(description="send it back with a step: a stale version answers 409")
    merged_into: str | None
    anonymous: bool
    contact_visible: bool = Field(description="false: citizen_name, citizen_phone, household_id and pin are null")
    citizen_name: str | None
    citizen_phone: str | None
    household_id: int | None
    pin: str | None = Field(description="the citizen's code to rate the answer on the tracking page: only in the "
                                        "answer to the call that recorded the concern (give it to the citizen "
                                        "then); null everywhere else, the PIN is stored only as a hash")

    @staticmethod
    def resolve_status_label(obj: Petition) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit_name(obj: Petition) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_holder_name(obj: Petition) -> str:
        return (obj.holder_agency or obj.holder_unit).name

    @staticmethod
    def resolve_overdue(obj: Petition) -> bool:
        return obj.is_overdue(timezone.now())

    @staticmethod
    def resolve_merged_into(obj: Petition) -> str | None:
        return obj.merged_into.code if obj.merged_into else None

    @staticmethod
    def resolve_contact_visible(obj: Petition, context: Any) -> bool:
        return _sees(obj, context)

    @staticmethod
    def resolve_citizen_name(obj: Petition, context: Any) -> str | None:
        return obj.citizen_name if _sees(obj, context) else None

    @staticmethod
    def resolve_citizen_phone(obj: Petition, context: Any) -> str | None:
        return obj.citizen_phone if _sees(obj, context) else None

    @staticmethod
    def resolve_household_id(obj: Petition, context: Any) -> int | None:
        return obj.household_id if _sees(obj, context) else None

    @staticmethod
    def resolve_pin(obj: Petition, context: Any) -> str | None:
        return (obj.pin or None) if _sees(obj, context) else None


class PetitionEventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    actor: str = Field(alias="actor_label")
    from_status: str
    to_status: str
    from_unit_id: int | None
    from_agency_id: int | None
    to_unit_id: int | None
    to_agency_id: int | None
    to_cadre_id: int | None
    note: str


class AnswerOut(Schema):
    id: int
    text: str
    answered_at: dt.datetime
    unit_id: int
    agency_id: int | None
    satisfied: bool | None

    @staticmethod
    def resolve_satisfied(obj: Any) -> bool | None:
        rating = getattr(obj, "rating", None)
        return None if rating is None else rating.satisfied


class PetitionDetailOut(PetitionOut):
    events: list[PetitionEventOut]
    answers: list[AnswerOut]
    actions: list[str] = Field(description="the steps the caller may take now")

    @staticmethod
    def resolve_events(obj: Petition) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_answers(obj: Petition) -> list[Any]:
        return list(obj.answers.select_related("rating"))

    @staticmethod
    def resolve_actions(obj: Petition, context: Any) -> list[str]:
        return states.handler_actions(obj.status) if access.may_handle(context["request"].auth, obj) else []


class PetitionIn(Schema):
    unit_id: Id = Field(description="where: a village or commune in the caller's scope")
    text: Text = Field(min_length=1, max_length=4000)
    field: Line = Field(examples=["infrastructure"])
    urgency: Line = "normal"
    channel: Line = Field("visit", description="visit or office")
    household_id: Id | None = None
    citizen_name: Line = ""
    citizen_phone: Line = ""
    anonymous: bool = False
    source_ref: Line = Field("", max_length=64, description="origin (a visit's client UUID): a retry returns the "
                                                           "same concern")


class StepIn(Schema):
    note: Text = ""
    version: Count | None = Field(None, description="the version the caller saw; omit to act on the latest")


class TransferIn(StepIn):
    agency_id: Id | None = Field(None, description="a department; omitted: the one competent for the field")


class AnswerIn(Schema):
    text: Text = Field(min_length=1, max_length=4000)
    version: Count | None = None


class RateIn(Schema):
    satisfied: bool
    comment: Text = ""
    call_at: dt.datetime | None = Field(None, description="the evidence of a rating recorded for a citizen: when "
                                                          "they were called (a signed form's photo goes through "
                                                          "the web page)")
    call_number: Line = Field("", max_length=30, description="the number called")
    call_note: Text = Field("", max_length=2000, description="what the citizen said on the call")
    version: Count | None = None


class RouteOutIn(Schema):
    kind: Line = Field(description="complaint or denunciation")
    reason: Text
    version: Count | None = None


class MergeIn(Schema):
    target: Line = Field(description="the tracking code of the concern to merge into")
    note: Text = ""
    version: Count | None = None


class PetitionFilter(Schema):
    box: Line = Field("all", description="mine, unit, department or all (in scope)")
    status: Line = ""
    field: Line = ""
    unit: Id | None = Field(None, description="where: this unit and below")
    q: Line = Field("", description="tracking code, or words of the text (diacritics optional)")
    overdue: bool = False


class RateRowOut(Schema):
    kind: str
    id: int
    name: str
    received: int
    responded: int
    response_rate: float | None
    settled: int
    resolved_on_time: int
    on_time_rate: float | None
    rated: int
    satisfied: int
    satisfaction_rate: float | None
    overdue: int


class RatesOut(Schema):
    unit_id: int
    start: dt.date
    end: dt.date
    units: list[RateRowOut]
    agencies: list[RateRowOut]
    total: RateRowOut


def _rate_row(kind: str, pk: int, name: str, f: Figures) -> dict[str, Any]:
    return {"kind": kind, "id": pk, "name": name, "received": f.received, "responded": f.responded,
            "response_rate": f.response.value, "settled": f.settled, "resolved_on_time": f.resolved_on_time,
            "on_time_rate": f.on_time.value, "rated": f.rated, "satisfied": f.satisfied,
            "satisfaction_rate": f.satisfaction.value, "overdue": f.overdue}


def _step(fn: Callable[..., Petition]) -> Callable[..., Any]:
    """Run a step; a concurrent change (or a step that no longer fits the state) answers 409."""

    @functools.wraps(fn)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            petition = fn(request, *args, **kwargs)
        except services.Conflict as exc:
            return Status(409, {"detail": str(exc)})
        return Status(200, queries.petition_get(user_of(request), petition.pk))

    return wrapped


STEP = {200: PetitionDetailOut, 409: ErrorOut}


def _get(request: HttpRequest, petition_id: int) -> Petition:
    return queries.petition_get(user_of(request), petition_id)


@router.get("", response=list[PetitionOut], summary="Concerns in the caller's scope, overdue first")
@paginate(Paged)
def petition_list(request: HttpRequest, filters: Query[PetitionFilter]) -> QuerySet[Petition]:
    user = user_of(request)
    if filters.box in ("mine", "unit", "department"):
        rows = queries.inbox(user, filters.box)
        if filters.q or filters.status or filters.field or filters.unit or filters.overdue:
            found = queries.search(user, queries.Filters(status=filters.status, field=filters.field,
                                                         unit=filters.unit, q=filters.q, overdue=filters.overdue))
            rows = rows.filter(pk__in=found.values("pk"))
        return rows
    return queries.search(user, queries.Filters(status=filters.status, field=filters.field, unit=filters.unit,
                                                q=filters.q, overdue=filters.overdue))


@router.get("/rates", response=RatesOut, summary="Response, on-time resolution and satisfaction rates")
def petition_rates(request: HttpRequest, unit: Id | None = None, start: dt.date | None = None,
                   end: dt.date | None = None) -> dict[str, Any]:
    root = queries.figure_root(user_of(request), unit)
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=29)
    units, agencies, total = reports.rates_table(root, start, end)
    return {"unit_id": root.pk, "start": start, "end": end,
            "units": [_rate_row("unit", r.pk, r.name, r.figures) for r in units],
            "agencies": [_rate_row("agency", r.pk, r.name, r.figures) for r in agencies],
            "total": _rate_row("total", root.pk, root.name, total)}


@router.post("", response={201: PetitionDetailOut}, summary="Record a concern (idempotent by source_ref)")
def petition_create(request: HttpRequest, payload: PetitionIn) -> Status:
    user = user_of(request)
    unit = scoping.get_in_scope_or_404(AdminUnit.objects.all(), user, "path", pk=payload.unit_id)
    household = None
    if payload.household_id is not None:
        household = scoping.get_in_scope_or_404(Household.objects.select_related("village"), user,
                                                "village__path", pk=payload.household_id)
    if payload.channel not in (Channel.VISIT, Channel.OFFICE):
        raise ValidationError({"channel": _("Kênh phải là visit hoặc office")})
    petition = services.petition_receive(
        actor=user, unit=unit, text=payload.text, field=payload.field, urgency=payload.urgency,
        channel=payload.channel, household=household, citizen_name=payload.citizen_name,
        citizen_phone=payload.citizen_phone, anonymous=payload.anonymous, source_ref=payload.source_ref)
    recorded = queries.petition_get(user, petition.pk)
    recorded.pin = petition.pin  # shown once, in this answer
    return Status(201, recorded)


@router.get("/{petition_id}", response=PetitionDetailOut)
def petition_detail(request: HttpRequest, petition_id: Id) -> Petition:
    petition = _get(request, petition_id)
    access.contact_shown(user_of(request), petition)  # logs the view when the contact is in the answer
    return petition


@router.post("/{petition_id}/accept", response=STEP, summary="Take the concern up")
@_step
def petition_accept(request: HttpRequest, petition_id: Id, payload: StepIn) -> Petition:
    return services.petition_accept(actor=user_of(request), petition=_get(request, petition_id), note=payload.note,
                                    version=payload.version)


@router.post("/{petition_id}/handle", response=STEP, summary="Handle it at the holder's own level")
@_step
def petition_handle(request: HttpRequest, petition_id: Id, payload: StepIn) -> Petition:
    return services.petition_handle(actor=user_of(request), petition=_get(request, petition_id), note=payload.note,
                                    version=payload.version)


@router.post("/{petition_id}/escalate", response=STEP, summary="Send it one level up (a reason is required)")
@_step
def petition_escalate(request: HttpRequest, petition_id: Id, payload: StepIn) -> Petition:
    return services.petition_escalate(actor=user_of(request), petition=_get(request, petition_id),
                                      note=payload.note, version=payload.version)


@router.post("/{petition_id}/transfer", response=STEP, summary="Send it to the competent department")
@_step
def petition_transfer(request: HttpRequest, petition_id: Id, payload: TransferIn) -> Petition:
    return services.petition_transfer(actor=user_of(request), petition=_get(request, petition_id),
                                      note=payload.note, agency=routing.chosen_department(payload.agency_id),
                                      version=payload.version)


@router.post("/{petition_id}/answer", response=STEP, summary="Answer the citizen (public on the tracking page)")
@_step
def petition_answer(request: HttpRequest, petition_id: Id, payload: AnswerIn) -> Petition:
    return services.petition_answer(actor=user_of(request), petition=_get(request, petition_id), text=payload.text,
                                    version=payload.version)


@router.post("/{petition_id}/rate", response=STEP, summary="Record the citizen's rating on their behalf, with a "
                                                           "call record as evidence")
@_step
def petition_rate(request: HttpRequest, petition_id: Id, payload: RateIn) -> Petition:
    evidence = services.RatingEvidence(kind="call", call_at=payload.call_at, call_number=payload.call_number,
                                       note=payload.call_note)
    return services.petition_rate(actor=user_of(request), petition=_get(request, petition_id),
                                  satisfied=payload.satisfied, comment=payload.comment, evidence=evidence,
                                  version=payload.version)


@router.post("/{petition_id}/route-out", response=STEP, summary="Triage: a complaint or denunciation leaves the flow")
@_step
def petition_route_out(request: HttpRequest, petition_id: Id, payload: RouteOutIn) -> Petition:
    return services.petition_route_out(actor=user_of(request), petition=_get(request, petition_id),
                                       kind=payload.kind, reason=payload.reason, version=payload.version)


@router.post("/{petition_id}/merge", response=STEP, summary="Merge this duplicate into another concern")
@_step
def petition_merge(request: HttpRequest, petition_id: Id, payload: MergeIn) -> Petition:
    user = user_of(request)
    source = _get(request, petition_id)
    target = queries.petition_by_code(payload.target)
    if target is None or not access.visible(user).filter(pk=target.pk).exists():
        raise ValidationError({"target": _("Không tìm thấy phản ánh có mã này")})
    services.petition_merge(actor=user, source=source, target=target, note=payload.note, version=payload.version)
    return source
