"""/fieldwork: visits (idempotent by client UUID), photos, the capture form's places and topics,
meetings and attendance, quotas, compliance and month locks.

POST /visits is what a phone's sync calls, any number of times for one record:
201 the visit was recorded · 200 this UUID was already recorded with this body (the stored visit,
nothing written) · 409 this UUID was recorded with a different body · 423 the month is locked ·
422 the body is invalid (each error names its field).
"""

# No `from __future__ import annotations` here: @paginate wraps the route, and ninja resolves
# string annotations in the wrapper's module (ninja.pagination), where our schemas are unknown.

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.api.schemas import Paged
from gandan.core.input_types import Count, Id, Line
from gandan.fieldwork import meeting_services, queries, services, setting_services
from gandan.fieldwork.flags import visit_flags
from gandan.fieldwork.inputs import VisitIn, VisitPatch
from gandan.fieldwork.models import AttendanceStatus, Meeting, MeetingKind, Visit
from gandan.fieldwork.photos import PhotoRejected
from gandan.org.models import AdminUnit, PartyCell
from gandan.people import scoping
from gandan.people.models import User
from gandan.people.queries import cadre_get
from gandan.people.unit_queries import unit_get

router = Router(tags=["fieldwork"])


class Error(Schema):
    detail: str


class PhotoOut(Schema):
    id: int
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/fieldwork/photos/{obj.pk}/"


class VisitOut(Schema):
    id: int
    client_uuid: uuid.UUID
    cadre_id: int
    cadre_name: str
    date: dt.date
    kind: str
    unit_ids: list[int]
    household_ids: list[int]
    findings: dict[str, str]
    notes: str
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    recorded_at: dt.datetime
    updated_at: dt.datetime
    flags: list[str] = Field(description="warnings for review: gps_far, many_in_day, late")
    photos: list[PhotoOut]

    @staticmethod
    def resolve_cadre_name(obj: Visit) -> str:
        return obj.cadre.full_name

    @staticmethod
    def resolve_unit_ids(obj: Visit) -> list[int]:
        return [link.unit_id for link in obj.unit_links.all()]

    @staticmethod
    def resolve_household_ids(obj: Visit) -> list[int]:
        return [link.household_id for link in obj.household_links.all()]

    @staticmethod
    def resolve_flags(obj: Visit) -> list[str]:
        if not hasattr(obj, "flags"):
            obj.flags = visit_flags(gps_distance_m=obj.gps_distance_m, visits_that_day=getattr(obj, "day_count", 1),  # type: ignore[attr-defined]  # as queries.with_flags does
                                    delay_days=obj.delay_days, limits=queries.flag_limits())
        return [str(f) for f in obj.flags]  # type: ignore[attr-defined]  # set above or by queries.with_flags

    @staticmethod
    def resolve_photos(obj: Visit) -> list[Any]:
        return list(obj.photos.all())


class VisitFilter(Schema):
    unit: Id | None = Field(None, description="visits to this unit's subtree or by its cadres")
    cadre: Id | None = None
    kind: Line = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    flagged: bool = False


def _visit_out(user: User, pk: int) -> Visit:
    visit = queries.visit_get(user, pk)
    return queries.with_flags([visit])[0]


@router.post("/visits", response={200: VisitOut, 201: VisitOut, 409: Error, 423: Error},
             summary="Record a visit (idempotent by client_uuid)")
def visit_create(request: HttpRequest, payload: VisitIn) -> Status:
    try:
        visit, created = services.visit_record(actor=user_of(request), data=payload)
    except services.VisitConflict as exc:
        return Status(409, {"detail": str(exc)})
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(201 if created else 200, queries.with_flags([visit])[0])


@router.get("/visits", response=list[VisitOut], summary="Visits in scope, newest first")
@paginate(Paged)
def visit_list(request: HttpRequest, filters: Query[VisitFilter]) -> QuerySet[Visit]:
    user = user_of(request)
    unit = unit_get(user, filters.unit) if filters.unit is not None else None
    return queries.visits_filtered(user, queries.VisitFilters(
        unit=unit, cadre_id=filters.cadre, kind=filters.kind, date_from=filters.date_from, date_to=filters.date_to,
        flagged=filters.flagged)).prefetch_related("unit_links", "household_links", "photos")


@router.get("/visits/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: Id) -> Visit:
    return _visit_out(user_of(request), visit_id)


@router.patch("/visits/{visit_id}", response={200: VisitOut, 423: Error}, summary="Correct a visit (audited)")
def visit_update(request: HttpRequest, visit_id: Id, payload: VisitPatch) -> Status:
    user = user_of(request)
    visit = queries.visit_get(user, visit_id)
    try:
        services.visit_update(actor=user, visit=visit, changes=payload)
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(200, _visit_out(user, visit_id))


@router.post("/visits/{visit_id}/photos", response={200: PhotoOut, 201: PhotoOut, 423: Error},
             summary="Attach a photo (JPEG, PNG or WebP; the same picture twice is stored once)")
def visit_photo(request: HttpRequest, visit_id: Id, file: File[UploadedFile]) -> Status:
    user = user_of(request)
    visit = queries.visit_get(user, visit_id)
    try:
        photo, created = services.photo_add(actor=user, visit=visit, upload=file)
    except PhotoRejected as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(201 if created else 200, photo)


# -- the capture form's data ------------------------------------------------------------------------
class TopicOut(Schema):
    code: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.label


@router.get("/topics", response=list[TopicOut], summary="The checklist topics of the caller's province")
def topic_list(request: HttpRequest) -> list[Any]:
    cadre = getattr(user_of(request), "cadre", None)
    roots = scoping.top_units(user_of(request))
    province_id = cadre.province_id if cadre else (roots[0].province_id if roots else None)
    return queries.topics_for(province_id) if province_id else []


@router.get("/places", summary="Units and households the caller's capture form offers (cached offline)")
def place_list(request: HttpRequest) -> dict[str, Any]:
    cadre = getattr(user_of(request), "cadre", None)
    if cadre is None:
        return {"cadre": None, "units": [], "households": [], "follows": False}
    return queries.places_for(cadre)


# -- meetings and attendance ------------------------------------------------------------------------
class MeetingIn(Schema):
    unit_id: Id
    kind: Line = Field(description=", ".join(MeetingKind.values))
    date: dt.date
    title: Line = ""
    party_cell_id: Id | None = None
    secretary_id: Id | None = None


class AttendanceOut(Schema):
    cadre_id: int
    cadre_name: str
    status: str | None
    as_follower: bool


class MeetingOut(Schema):
    id: int
    unit_id: int
    kind: str
    date: dt.date
    title: str
    party_cell_id: int | None
    secretary_id: int | None


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj: Meeting) -> list[dict[str, Any]]:
        return [{"cadre_id": cadre.pk, "cadre_name": cadre.full_name, "status": row.status if row else None,
                 "as_follower": bool(row and row.as_follower)} for cadre, row in queries.attendance_sheet(obj)]


class AttendanceEntry(Schema):
    cadre_id: Id
    status: Line = Field(description=", ".join(AttendanceStatus.values))


class MeetingFilter(Schema):
    unit: Id | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/meetings", response=list[MeetingOut])
@paginate(Paged)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    user = user_of(request)
    qs = queries.meetings_visible(user)
    if filters.unit is not None:
        qs = queries.meetings_at(qs, unit_get(user, filters.unit))
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs.order_by("-date", "-id")


@router.post("/meetings", response={201: MeetingDetailOut, 423: Error})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    user = user_of(request)
    unit = unit_get(user, payload.unit_id)
    cell = scoping.get_in_scope_or_404(PartyCell.objects.all(), user, "unit__path", pk=payload.party_cell_id) \
        if payload.party_cell_id else None
    secretary = cadre_get(user, payload.secretary_id) if payload.secretary_id else None
    try:
        meeting = meeting_services.meeting_create(actor=user, unit=unit, kind=payload.kind, date=payload.date,
                                          title=payload.title, party_cell=cell, secretary=secretary)
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(201, meeting)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: Id) -> Meeting:
    return queries.meeting_get(user_of(request), meeting_id)


@router.post("/meetings/{meeting_id}/attendance", response={200: MeetingDetailOut, 423: Error},
             summary="Record attendance: the secretary for everyone, or a cadre for themself")
def meeting_attendance(request: HttpRequest, meeting_id: Id, payload: list[AttendanceEntry]) -> Status:
    user = user_of(request)
    meeting = queries.meeting_get(user, meeting_id)
    try:
        meeting_services.attendance_record(actor=user, meeting=meeting, entries={e.cadre_id: e.status for e in payload})
    except services.MonthLocked as exc:
        return Status(423, {"detail": str(exc)})
    return Status(200, meeting)


# -- quotas, compliance, month locks ----------------------------------------------------------------
class QuotaOut(Schema):
    level: str
    employment_type: str
    field_days_per_month: int
    visits_per_month: int
    meeting_attendance_pct: int


class QuotaIn(Schema):
    level: Line
    employment_type: Line = ""
    field_days_per_month: Count
    visits_per_month: Count
    meeting_attendance_pct: Count


def _province(user: User, province_id: int | None) -> AdminUnit:
    if province_id is not None:
        unit = unit_get(user, province_id)
        return unit.province or unit
    roots = scoping.top_units(user)
    if not roots:
        raise Http404
    return roots[0].province or roots[0]


@router.get("/quotas", response=list[QuotaOut], summary="Monthly quotas of a province (the defaults if unset)")
def quota_list(request: HttpRequest, province: Id | None = None) -> list[dict[str, Any]]:
    unit = _province(user_of(request), province)
    rules = queries.quota_rules([unit.pk])[unit.pk]
    return [{"level": level, "employment_type": etype, "field_days_per_month": r.field_days,
             "visits_per_month": r.visits, "meeting_attendance_pct": r.meeting_pct}
            for (level, etype), r in sorted(rules.items())]


@router.put("/quotas", response=QuotaOut, summary="Set one quota (province administrators or committee)")
def quota_set(request: HttpRequest, payload: QuotaIn, province: Id | None = None) -> Any:
    user = user_of(request)
    unit = _province(user, province)
    return setting_services.quota_save(
        actor=user, province=unit, level=payload.level, employment_type=payload.employment_type,
        field_days=payload.field_days_per_month, visits=payload.visits_per_month,
        meeting_pct=payload.meeting_attendance_pct)


class GroupOut(Schema):
    key: str
    cadres: int
    met: int
    behind: int
    pct: int


class CadreComplianceOut(Schema):
    id: int
    full_name: str
    agency: str
    unit: str
    field_days: int
    visits: int
    meetings_expected: int
    meetings_attended: int
    met: bool
    behind: list[str]


class ComplianceOut(Schema):
    month: dt.date
    running: bool
    overall: GroupOut
    by_agency: list[GroupOut]
    by_unit: list[GroupOut]
    cadres: list[CadreComplianceOut]


def _group(key: Any, g: Any) -> dict[str, Any]:
    return {"key": str(key), "cadres": g.cadres, "met": g.met, "behind": g.behind, "pct": g.pct}


@router.get("/compliance", response=ComplianceOut, summary="Quota compliance per cadre, agency and unit")
def compliance(request: HttpRequest, month: dt.date | None = None, unit: Id | None = None,
               behind_only: bool = False) -> dict[str, Any]:
    user = user_of(request)
    scope_unit = unit_get(user, unit) if unit is not None else None
    report = queries.compliance_for(user, month or timezone.localdate(), scope_unit)
    rows = report.behind if behind_only else report.cadres
    return {
        "month": report.month, "running": report.running, "overall": _group("all", report.overall),
        "by_agency": [_group(k, g) for k, g in report.by_agency], "by_unit": [_group(k, g) for k, g in report.by_unit],
        "cadres": [{"id": c.id, "full_name": c.full_name, "agency": c.agency_name, "unit": c.unit_name,
                    "field_days": c.activity.field_days, "visits": c.activity.visits,
                    "meetings_expected": c.activity.meetings_expected,
                    "meetings_attended": c.activity.meetings_attended, "met": c.result.met,
                    "behind": list(c.result.behind)} for c in rows],
    }


class LockIn(Schema):
    month: dt.date = Field(description="any day of the month to lock")
    province_id: Id | None = None


class LockOut(Schema):
    province_id: int
    month: dt.date
    locked_at: dt.datetime


@router.get("/month-locks", response=list[LockOut])
def lock_list(request: HttpRequest, province: Id | None = None) -> Any:
    return queries.month_locks(_province(user_of(request), province).pk)


@router.post("/month-locks", response={201: LockOut}, summary="Lock a month (province administrators)")
def lock_create(request: HttpRequest, payload: LockIn) -> Status:
    user = user_of(request)
    lock = setting_services.month_lock(actor=user, province=_province(user, payload.province_id), month=payload.month)
    return Status(201, lock)
