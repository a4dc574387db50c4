"""Writes on visits: record one (idempotent by client UUID), correct it, attach photos. Atomic, audited.
Meetings and attendance are in meeting_services.py; topics, quotas and month locks in setting_services.py.

Recording a visit is the hot path (phones syncing in the morning): a few reads to validate, then
one INSERT of the visit, its link rows, the concerns heard and one audit row. A retry with the
same UUID and body returns the stored visit and writes nothing; the same UUID with another body is
a `VisitConflict`. Two concurrent first submissions race on the unique constraint; the loser reads
the winner's row and is answered as a retry (or a conflict).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gandan.assignments.queries import followed_households, followed_units
from gandan.core import audit
from gandan.fieldwork import flags as flag_rules
from gandan.fieldwork.defaults import DEFAULT_TOPICS
from gandan.fieldwork.inputs import ConcernIn, VisitIn, VisitPatch
from gandan.fieldwork.models import (
    ChecklistTopic,
    Visit,
    VisitHousehold,
    VisitKind,
    VisitPhoto,
    VisitUnit,
)
from gandan.fieldwork.photos import EXTENSIONS, HEAD_BYTES, MAX_BYTES, MAX_PER_VISIT, PhotoLimits, check_photo
from gandan.fieldwork.queries import is_month_locked
from gandan.fieldwork.sync import body_hash, clean_findings, clean_text
from gandan.fieldwork.write_context import WriteContext, visit_write_context
from gandan.org.models import AdminUnit, Field, Household
from gandan.org.queries import ended_unit_message
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, Role, User
from gandan.people.queries import cadre_get
from gandan.petitions.services import petition_receive

RECORD_ROLES = frozenset(WRITE_ROLES | {Role.CADRE})
SETTINGS_ROLES = frozenset({Role.UNIT_ADMIN, Role.COMMITTEE})
MAX_PLACES = 50
MAX_CONCERNS = 20
MAX_TEXT = 4000
MAX_NOTES = 10000
VISIT_FIELDS = ["province_id", "client_uuid", "cadre_id", "date", "kind", "findings", "notes", "latitude",
                "longitude", "accuracy_m", "gps_distance_m", "delay_days", "recorded_at", "recorded_by_id"]


class VisitConflict(Exception):
    """The client UUID was already used for a different visit (HTTP 409)."""

    def __init__(self, visit: Visit) -> None:
        super().__init__(_("Mã đồng bộ (UUID) này đã dùng cho một lần đi cơ sở khác với nội dung khác; hãy tạo bản "
                           "ghi mới"))
        self.visit = visit


class MonthLocked(Exception):
    """The month is locked: its field records are read-only (HTTP 423)."""

    def __init__(self, date: dt.date) -> None:
        super().__init__(_("Tháng %(month)s đã khóa sổ (đã kết luận đánh giá), không thể ghi hay sửa")
                         % {"month": f"{date:%m/%Y}"})
        self.date = date




def photo_limits() -> PhotoLimits:
    """Photo limits; a deployment may set FIELDWORK_PHOTO_MAX_BYTES / FIELDWORK_PHOTOS_PER_VISIT."""
    return PhotoLimits(max_bytes=getattr(settings, "FIELDWORK_PHOTO_MAX_BYTES", MAX_BYTES),
                       max_per_visit=getattr(settings, "FIELDWORK_PHOTOS_PER_VISIT", MAX_PER_VISIT))


# -- visits ------------------------------------------------------------------------------------------
def _cadre_for(actor: User, cadre_id: int | None) -> Cadre:
    """The cadre a visit is recorded for: the actor's own, or one a leader records for (looked up in the
    actor's scope: 404 alike for a missing cadre and one outside it)."""
    cadre = cadre_get(actor, cadre_id) if cadre_id else None
    own_id = getattr(actor, "cadre_id", None)
    if cadre is None or cadre.pk == own_id:
        if own_id is None:
            raise PermissionDenied(_("Tài khoản của bạn chưa gắn với cán bộ nào, nên chưa ghi được đi cơ sở"))
        if actor.__class__.cadre.is_cached(actor):  # loaded with the API token (people/tokens.py): no query
            return actor.cadre  # type: ignore[return-value]  # own_id is set, so is the cadre
        return Cadre.objects.only("pk", "province_id", "unit_id", "full_name").get(pk=own_id)
    if not scoping.has_role(actor, WRITE_ROLES, cadre.unit):
        raise PermissionDenied(_("Bạn không ghi thay được cho cán bộ này"))
    return cadre


def _followed(cadre: Cadre, on: dt.date) -> tuple[set[int], set[int]]:
    """Ids of the units and households the cadre follows on `on`."""
    return (set(followed_units(cadre, on=on).values_list("pk", flat=True)),
            set(followed_households(cadre, on=on).values_list("pk", flat=True)))


def _places(actor: User, cadre: Cadre, data: VisitIn, context: WriteContext | None = None) -> tuple[
        list[AdminUnit], list[Household]]:
    """The visited units and households, each in the cadre's province and reachable by the actor
    (in their scope, or followed by the cadre); a unknown id and a forbidden one get the same error.
    `context` brings them already read (visit_record); without it they are read here."""
    unit_ids, household_ids = sorted(set(data.unit_ids)), sorted(set(data.household_ids))
    errors: dict[str, list[str]] = {}
    if not unit_ids and not household_ids:
        errors["units"] = [_("Hãy chọn ít nhất một đơn vị hoặc một hộ gia đình đã đến")]
    if len(unit_ids) + len(household_ids) > MAX_PLACES:
        errors["units"] = [_("Tối đa %(count)d nơi trong một lần đi cơ sở") % {"count": MAX_PLACES}]
    if errors:
        raise ValidationError(errors)
    if context is not None:
        units, households = context.units, context.households
    else:
        units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=unit_ids, province_id=cadre.province_id).only(
            "pk", "path", "latitude", "longitude", "province_id", "valid_to")} if unit_ids else {}
        households = {h.pk: h for h in Household.objects.select_related("village").filter(
            pk__in=household_ids, province_id=cadre.province_id).only(
            "pk", "village_id", "province_id", "village__path", "village__latitude", "village__longitude",
            "village__province_id")} if household_ids else {}
    followed: tuple[set[int], set[int]] | None = None

    def reachable(path: str, pk: int, which: int) -> bool:
        nonlocal followed
        if scoping.covers(actor, path, RECORD_ROLES):
            return True
        if followed is None:
            followed = _followed(cadre, data.date)
        return pk in followed[which]

    bad_units = [pk for pk in unit_ids if pk not in units or not reachable(units[pk].path, pk, 0)]
    ended = [units[pk] for pk in unit_ids if pk in units and pk not in bad_units
             and units[pk].valid_to is not None and data.date >= units[pk].valid_to]  # type: ignore[operator]  # checked
    if ended:  # rare: read their names and successors only now, for the sentence
        named = AdminUnit.objects.select_related("successor").filter(pk__in=[u.pk for u in ended]).order_by("pk")
        errors["units"] = [ended_unit_message(unit) for unit in named]
    bad_households = [pk for pk in household_ids
                      if pk not in households or not reachable(households[pk].village.path, pk, 1)]
    if bad_units:
        errors["units"] = [ngettext("Không tìm thấy đơn vị %(ids)s trong phạm vi của bạn",
                                    "Không tìm thấy đơn vị %(ids)s trong phạm vi của bạn", len(bad_units))
                           % {"ids": ", ".join(map(str, bad_units))}]
    if bad_households:
        errors["households"] = [ngettext("Không tìm thấy hộ %(ids)s trong phạm vi của bạn",
                                         "Không tìm thấy hộ %(ids)s trong phạm vi của bạn", len(bad_households))
                                % {"ids": ", ".join(map(str, bad_households))}]
    if errors:
        raise ValidationError(errors)
    return [units[pk] for pk in unit_ids], [households[pk] for pk in household_ids]


def _topic_codes(province_id: int) -> set[str]:
    codes = set(ChecklistTopic.objects.filter(province_id=province_id).values_list("code", flat=True))
    return codes or {code for code, _vi, _en in DEFAULT_TOPICS}


def _validate(data: VisitIn, province_id: int, today: dt.date, topic_codes: set[str] | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in VisitKind.values:
        errors["kind"] = [_("Loại đi cơ sở không hợp lệ: %(kind)s") % {"kind": data.kind}]
    if data.date > today:
        errors["date"] = [_("Ngày %(date)s chưa đến: chỉ ghi lần đi cơ sở đã diễn ra")
                          % {"date": f"{data.date:%d/%m/%Y}"}]
    if topic_codes is None:
        known = _topic_codes(province_id)
    else:  # read with the write context: the province's codes, or the default set when it has none
        known = topic_codes or {code for code, _vi, _en in DEFAULT_TOPICS}
    unknown = set(clean_findings(data.findings)) - known
    if unknown:
        errors["findings"] = [ngettext("Chủ đề không có trong danh mục: %(codes)s",
                                       "Chủ đề không có trong danh mục: %(codes)s", len(unknown))
                              % {"codes": ", ".join(sorted(unknown))}]
    if any(len(clean_text(v)) > MAX_TEXT for v in data.findings.values()):
        errors.setdefault("findings", []).append(
            _("Mỗi chủ đề ghi tối đa %(count)d ký tự") % {"count": MAX_TEXT})
    if len(clean_text(data.notes)) > MAX_NOTES:
        errors["notes"] = [_("Ghi chú tối đa %(count)d ký tự") % {"count": MAX_NOTES}]
    if (data.latitude is None) != (data.longitude is None) or (
            data.latitude is not None and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)) or (  # type: ignore[operator]  # both or neither, checked first
            data.accuracy_m is not None and data.accuracy_m < 0):
        errors["gps"] = [_("Vị trí GPS không hợp lệ (cần vĩ độ và kinh độ)")]
    if len(data.concerns) > MAX_CONCERNS:
        errors["concerns"] = [_("Tối đa %(count)d ý kiến trong một lần") % {"count": MAX_CONCERNS}]
    for index, concern in enumerate(data.concerns, start=1):
        text = clean_text(concern.text)
        if not text or len(text) > MAX_TEXT:
            errors.setdefault("concerns", []).append(
                _("Ý kiến %(index)d: nội dung bắt buộc, tối đa %(count)d ký tự") % {"index": index, "count": MAX_TEXT})
        if concern.field not in Field.values:
            errors.setdefault("concerns", []).append(
                _("Ý kiến %(index)d: lĩnh vực không hợp lệ (%(field)s)") % {"index": index, "field": concern.field})
    if errors:
        raise ValidationError(errors)


def _replay(existing: Visit, digest: str, cadre: Cadre) -> tuple[Visit, bool]:
    if existing.body_hash != digest or existing.cadre_id != cadre.pk:
        raise VisitConflict(existing)
    return existing, False


def _concern_unit(concern: ConcernIn, units: list[AdminUnit], households: list[Household]) -> tuple[
        AdminUnit, Household | None]:
    household = next((h for h in households if h.pk == concern.household_id), None)
    if concern.household_id and household is None:
        raise ValidationError({"concerns": [_("Ý kiến gắn với hộ không có trong lần đi cơ sở này")]})
    places = units + [h.village for h in households]
    unit = next((u for u in places if u.pk == concern.unit_id), None)
    if concern.unit_id and unit is None:
        raise ValidationError({"concerns": [_("Ý kiến gắn với đơn vị không có trong lần đi cơ sở này")]})
    return unit or (household.village if household else places[0]), household


def _receive_concerns(actor: User, visit: Visit, data: VisitIn, units: list[AdminUnit],
                      households: list[Household]) -> list[int]:
    if not data.concerns:
        return []
    ids = []
    for index, concern in enumerate(data.concerns, start=1):
        unit, household = _concern_unit(concern, units, households)
        try:
            petition = petition_receive(
                actor=actor, unit=unit, text=clean_text(concern.text), field=concern.field, urgency=concern.urgency,
                channel="visit", household=household, citizen_name=clean_text(concern.citizen_name),
                citizen_phone=clean_text(concern.citizen_phone), anonymous=concern.anonymous,
                source_ref=str(visit.client_uuid))
        except PermissionDenied as exc:
            raise ValidationError({"concerns": [f"Ý kiến {index}: {exc}"]}) from exc
        ids.append(petition.pk)
    return ids


def _distance(data_lat: float | None, data_lon: float | None, units: list[AdminUnit],
              households: list[Household]) -> float | None:
    centres = [(u.latitude, u.longitude) for u in units] + [
        (h.village.latitude, h.village.longitude) for h in households]
    return flag_rules.nearest_distance_m(data_lat, data_lon, centres)


def _links(visit: Visit, units: Iterable[AdminUnit], households: Iterable[Household]) -> tuple[
        list[VisitUnit], list[VisitHousehold]]:
    """The link rows of a visit: its units, its households, and the villages of its households."""
    unit_ids = list(dict.fromkeys([u.pk for u in units] + [h.village_id for h in households]))
    common = {"province_id": visit.province_id, "visit": visit, "cadre_id": visit.cadre_id, "date": visit.date}
    unit_links = VisitUnit.objects.bulk_create([VisitUnit(unit_id=pk, **common) for pk in unit_ids])
    household_links = VisitHousehold.objects.bulk_create([VisitHousehold(household=h, **common) for h in households])
    return unit_links, household_links


def _held(qs: QuerySet[Any], rows: list[Any]) -> QuerySet[Any]:
    qs._result_cache = rows  # as prefetch_related_objects does
    qs._prefetch_done = True  # type: ignore[attr-defined]
    return qs


def _hold(visit: Visit, cadre: Cadre, unit_links: list[VisitUnit], household_links: list[VisitHousehold],
          day_count: int) -> Visit:
    """Give the new visit what an answer reads of it (its cadre, links, photos, the day's count), from
    what the service holds, as a prefetch would: the API answers without reading it back."""
    visit.cadre = cadre
    visit._prefetched_objects_cache = {  # type: ignore[attr-defined]  # Django's prefetch cache, filled as prefetch_related does
        "unit_links": _held(VisitUnit.objects.filter(visit=visit), unit_links),
        "household_links": _held(VisitHousehold.objects.filter(visit=visit), household_links),
        "photos": _held(VisitPhoto.objects.filter(visit=visit), [])}
    visit.day_count = day_count  # type: ignore[attr-defined]  # as queries.with_flags reads it
    return visit


def visit_record(*, actor: User, data: VisitIn) -> tuple[Visit, bool]:
    """Record a visit (for `data.cadre_id`, or the actor's own cadre), or recognise a retry of one.
    Returns (visit, created); a created visit carries its links and flags' count (no read-back).

    Everything it checks is read in one statement (write_context.py), then one INSERT per table and
    the audit row. Raises VisitConflict (same UUID, other body), MonthLocked, ValidationError,
    PermissionDenied, Http404 (a cadre outside the actor's scope)."""
    cadre = _cadre_for(actor, data.cadre_id)
    client_uuid = data.client_uuid
    digest = body_hash(data.normalised(cadre.pk))
    now = timezone.now()
    today = timezone.localdate(now)
    context = visit_write_context(
        province_id=cadre.province_id, client_uuid=client_uuid, cadre_id=cadre.pk, date=data.date,
        unit_ids=sorted(set(data.unit_ids)), household_ids=sorted(set(data.household_ids)),
        user_id=None if scoping.grants_known(actor) else actor.pk, today=today)
    if context.grants is not None:
        scoping.remember_grants(actor, context.grants)
    lookup = {"province_id": cadre.province_id, "client_uuid": client_uuid}
    if context.existing is not None:  # a retry: answered from the stored row, nothing written
        return _replay(_stored(lookup, context.day_count), digest, cadre)
    _validate(data, cadre.province_id, today, context.topic_codes)
    if context.month_locked:
        raise MonthLocked(data.date)
    units, households = _places(actor, cadre, data, context)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                province_id=cadre.province_id, client_uuid=client_uuid, cadre=cadre, date=data.date, kind=data.kind,
                findings=clean_findings(data.findings), notes=clean_text(data.notes), latitude=data.latitude,
                longitude=data.longitude, accuracy_m=data.accuracy_m,
                gps_distance_m=_distance(data.latitude, data.longitude, units, households),
                delay_days=(today - data.date).days, recorded_at=now, recorded_by=actor if actor else None,
                body_hash=digest)
            unit_links, household_links = _links(visit, units, households)
            concerns = _receive_concerns(actor, visit, data, units, households)
            audit.record(actor=actor, action="visit.record", obj=visit, after={
                **audit.snapshot(visit, VISIT_FIELDS), "units": [u.pk for u in units],
                "households": [h.pk for h in households], "concerns": concerns})
    except IntegrityError:
        if not Visit.objects.filter(**lookup).exists():
            raise
        return _replay(_stored(lookup, None), digest, cadre)
    return _hold(visit, cadre, unit_links, household_links, context.day_count + 1), True


def _stored(lookup: dict[str, object], day_count: int | None) -> Visit:
    """The stored visit of a retry, with its cadre (its links are read if the answer shows them)."""
    visit = Visit.objects.select_related("cadre").get(**lookup)
    if day_count is not None:
        visit.day_count = day_count  # type: ignore[attr-defined]  # as queries.with_flags reads it
    return visit


def may_edit(actor: User | None, visit: Visit) -> bool:
    """The visit's own cadre, or a holder of a write role over the cadre's unit."""
    if actor is None:
        return True
    return getattr(actor, "cadre_id", None) == visit.cadre_id or scoping.has_role(actor, WRITE_ROLES, visit.cadre.unit)


def visit_update(*, actor: User, visit: Visit, changes: VisitPatch) -> Visit:
    """Correct a submitted visit (date, kind, places, findings, notes: those `changes` gives); audited with
    before and after.

    The stored body hash stays that of the first submission, so a late retry of it is still a retry."""
    given = changes.given()
    if not may_edit(actor, visit):
        raise PermissionDenied(_("Chỉ người đi cơ sở hoặc lãnh đạo đơn vị được sửa"))
    current_units = list(visit.unit_links.values_list("unit_id", flat=True))
    current_households = list(visit.household_links.values_list("household_id", flat=True))
    village_ids = set(Household.objects.filter(pk__in=current_households).values_list("village_id", flat=True))
    # Not validated again: `changes` was, and the stored values are not input (one recorded before the
    # input types refused control characters can still be corrected).
    data = VisitIn.model_construct(
        client_uuid=visit.client_uuid, date=given.get("date", visit.date), kind=given.get("kind", visit.kind),
        unit_ids=given.get("unit_ids", [pk for pk in current_units if pk not in village_ids]),
        household_ids=given.get("household_ids", current_households),
        findings=given.get("findings", visit.findings), notes=given.get("notes", visit.notes),
        latitude=visit.latitude, longitude=visit.longitude, accuracy_m=visit.accuracy_m)
    for day in {visit.date, data.date}:
        if is_month_locked(visit.province_id, day):
            raise MonthLocked(day)
    _validate(data, visit.province_id, timezone.localdate())
    cadre = visit.cadre
    units, households = _places(actor, cadre, data) if {"unit_ids", "household_ids"} & set(given) else (None, None)
    fields = ["date", "kind", "findings", "notes"]
    with transaction.atomic():
        before = {**audit.snapshot(visit, fields), "units": current_units, "households": current_households}
        visit.date, visit.kind = data.date, data.kind
        visit.findings, visit.notes = clean_findings(data.findings), clean_text(data.notes)
        visit.delay_days = (timezone.localdate(visit.recorded_at) - visit.date).days
        if units is not None:
            visit.gps_distance_m = _distance(visit.latitude, visit.longitude, units, households)  # type: ignore[arg-type]  # set with the units
            visit.unit_links.all().delete()
            visit.household_links.all().delete()
            _links(visit, units, households)  # type: ignore[arg-type]  # set with the units
        elif "date" in given:
            visit.unit_links.update(date=visit.date)
            visit.household_links.update(date=visit.date)
        visit.save(update_fields=[*fields, "delay_days", "gps_distance_m", "updated_at"])
        after = {**audit.snapshot(visit, fields),
                 "units": list(visit.unit_links.values_list("unit_id", flat=True)),
                 "households": list(visit.household_links.values_list("household_id", flat=True))}
        audit.record(actor=actor, action="visit.update", obj=visit, before=before, after=after)
    return visit


def photo_add(*, actor: User, visit: Visit, upload: UploadedFile) -> tuple[VisitPhoto, bool]:
    """Attach a photo to a visit; the same picture again returns the stored one. Returns (photo, created).

    Raises PhotoRejected (type, size, count), MonthLocked, PermissionDenied."""
    if not may_edit(actor, visit):
        raise PermissionDenied(_("Chỉ người đi cơ sở hoặc lãnh đạo đơn vị được thêm ảnh"))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    existing = visit.photos.filter(sha256=sha).first()
    if existing is not None:
        return existing, False
    if is_month_locked(visit.province_id, visit.date):
        raise MonthLocked(visit.date)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    name = (upload.name or "ảnh")[:80]
    content_type = check_photo(name=name, size=upload.size or 0, head=head, already=visit.photos.count(),
                               limits=photo_limits())
    upload.name = f"photo.{EXTENSIONS[content_type]}"
    with transaction.atomic():
        photo = VisitPhoto(province_id=visit.province_id, visit=visit, content_type=content_type,  # type: ignore[misc]  # an upload has its size
                           size=upload.size, sha256=sha, uploaded_by=actor if actor else None)
        photo.file.save(upload.name, upload, save=False)
        photo.save()
        audit.record(actor=actor, action="visit.photo_add", obj=photo,
                     after={**audit.snapshot(photo, ["visit_id", "content_type", "size", "sha256"]),
                            "file": photo.file.name})
    return photo, True
