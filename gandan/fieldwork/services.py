"""Writes on field work: record a visit (idempotent by client UUID), edit it, attach photos; topics,
quotas, meetings and attendance, month locks. Each write is atomic and audited.

Recording a visit is the hot path (phones syncing in the morning): a few reads to validate, then
one INSERT of the visit, its link rows, the concerns heard and one audit row. A retry with the
same UUID and body returns the stored visit and writes nothing; the same UUID with another body is
a `VisitConflict`. Two concurrent first submissions race on the unique constraint; the loser reads
the winner's row and is answered as a retry (or a conflict).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuid_lib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from gandan.core import audit, scoping
from gandan.core.text import fold
from gandan.fieldwork import flags as flag_rules
from gandan.fieldwork.defaults import DEFAULT_QUOTAS, DEFAULT_TOPICS
from gandan.fieldwork.models import (
    Attendance,
    AttendanceStatus,
    ChecklistTopic,
    Meeting,
    MeetingKind,
    MonthLock,
    Quota,
    Visit,
    VisitHousehold,
    VisitKind,
    VisitPhoto,
    VisitUnit,
)
from gandan.fieldwork.photos import EXTENSIONS, HEAD_BYTES, MAX_BYTES, MAX_PER_VISIT, PhotoLimits, check_photo
from gandan.fieldwork.queries import is_month_locked
from gandan.fieldwork.sync import body_hash, clean_findings, clean_text, normalise_body
from gandan.org.models import AdminUnit, Field, Household, PartyCell
from gandan.people.models import WRITE_ROLES, Cadre, EmploymentType, Role

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
        super().__init__("Mã đồng bộ (UUID) này đã dùng cho một lần đi cơ sở khác với nội dung khác; hãy tạo bản ghi "
                         "mới / this client UUID was already used for a different visit; create a new record")
        self.visit = visit


class MonthLocked(Exception):
    """The month is locked: its field records are read-only (HTTP 423)."""

    def __init__(self, date: dt.date) -> None:
        super().__init__(f"Tháng {date:%m/%Y} đã khóa sổ (đã kết luận đánh giá), không thể ghi hay sửa / "
                         f"month {date:%m/%Y} is locked (its evaluation is concluded): records are read-only")
        self.date = date


@dataclass(frozen=True)
class ConcernIn:
    text: str
    field: str = Field.OTHER
    urgency: str = "normal"
    unit_id: int | None = None
    household_id: int | None = None
    citizen_name: str = ""
    citizen_phone: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class VisitIn:
    """A submitted visit, as plain values (from the API or a form)."""

    date: dt.date
    kind: str
    unit_ids: Sequence[int] = ()
    household_ids: Sequence[int] = ()
    findings: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    concerns: Sequence[ConcernIn] = ()

    def normalised(self, cadre_id: int) -> dict[str, Any]:
        return normalise_body(
            cadre_id=cadre_id, date=self.date, kind=self.kind, unit_ids=self.unit_ids,
            household_ids=self.household_ids, findings=self.findings, notes=self.notes, latitude=self.latitude,
            longitude=self.longitude, accuracy_m=self.accuracy_m,
            concerns=[c.__dict__ for c in self.concerns])


def flag_limits() -> flag_rules.Limits:
    return flag_rules.limits_from(getattr(settings, "FIELDWORK_FLAGS", None))


def photo_limits() -> PhotoLimits:
    """Photo limits; a deployment may set FIELDWORK_PHOTO_MAX_BYTES / FIELDWORK_PHOTOS_PER_VISIT."""
    return PhotoLimits(max_bytes=getattr(settings, "FIELDWORK_PHOTO_MAX_BYTES", MAX_BYTES),
                       max_per_visit=getattr(settings, "FIELDWORK_PHOTOS_PER_VISIT", MAX_PER_VISIT))


# -- visits ------------------------------------------------------------------------------------------
def _cadre_for(actor: Any, cadre: Cadre | None) -> Cadre:
    """The cadre a visit is recorded for: the actor's own, or one a leader records for."""
    own_id = getattr(actor, "cadre_id", None)
    if cadre is None or cadre.pk == own_id:
        if own_id is None:
            raise PermissionDenied("Tài khoản của bạn chưa gắn với cán bộ nào, nên chưa ghi được đi cơ sở / "
                                   "your account is not linked to a cadre, so it cannot record visits")
        return Cadre.objects.select_related("unit").get(pk=own_id)
    if not scoping.has_role(actor, WRITE_ROLES, cadre.unit):
        raise PermissionDenied("Bạn không ghi thay được cho cán bộ này / you may not record for this cadre")
    return cadre


def _followed(cadre: Cadre, on: dt.date) -> tuple[set[int], set[int]]:
    """Ids of the units and households the cadre follows on `on` (empty without the assignments app)."""
    try:
        from gandan.assignments.queries import followed_households, followed_units
    except ImportError:
        return set(), set()
    return (set(followed_units(cadre, on=on).values_list("pk", flat=True)),
            set(followed_households(cadre, on=on).values_list("pk", flat=True)))


def _places(actor: Any, cadre: Cadre, data: VisitIn) -> tuple[list[AdminUnit], list[Household]]:
    """The visited units and households, each in the cadre's province and reachable by the actor
    (in their scope, or followed by the cadre); a unknown id and a forbidden one get the same error."""
    unit_ids, household_ids = sorted(set(data.unit_ids)), sorted(set(data.household_ids))
    errors: dict[str, list[str]] = {}
    if not unit_ids and not household_ids:
        errors["units"] = ["Hãy chọn ít nhất một đơn vị hoặc một hộ gia đình đã đến / "
                           "choose at least one unit or household visited"]
    if len(unit_ids) + len(household_ids) > MAX_PLACES:
        errors["units"] = [f"Tối đa {MAX_PLACES} nơi trong một lần đi cơ sở / at most {MAX_PLACES} places per visit"]
    if errors:
        raise ValidationError(errors)
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=unit_ids, province_id=cadre.province_id)}
    households = {h.pk: h for h in Household.objects.select_related("village").filter(
        pk__in=household_ids, province_id=cadre.province_id)}
    followed: tuple[set[int], set[int]] | None = None

    def reachable(path: str, pk: int, which: int) -> bool:
        nonlocal followed
        if scoping.covers(actor, path, RECORD_ROLES):
            return True
        if followed is None:
            followed = _followed(cadre, data.date)
        return pk in followed[which]

    bad_units = [pk for pk in unit_ids if pk not in units or not reachable(units[pk].path, pk, 0)]
    bad_households = [pk for pk in household_ids
                      if pk not in households or not reachable(households[pk].village.path, pk, 1)]
    if bad_units:
        errors["units"] = [f"Không tìm thấy đơn vị {', '.join(map(str, bad_units))} trong phạm vi của bạn / "
                           f"unit(s) {', '.join(map(str, bad_units))} not found in your scope"]
    if bad_households:
        errors["households"] = [
            f"Không tìm thấy hộ {', '.join(map(str, bad_households))} trong phạm vi của bạn / "
            f"household(s) {', '.join(map(str, bad_households))} not found in your scope"]
    if errors:
        raise ValidationError(errors)
    return [units[pk] for pk in unit_ids], [households[pk] for pk in household_ids]


def _topic_codes(province_id: int) -> set[str]:
    codes = set(ChecklistTopic.objects.filter(province_id=province_id).values_list("code", flat=True))
    return codes or {code for code, _vi, _en in DEFAULT_TOPICS}


def _validate(data: VisitIn, province_id: int, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in VisitKind.values:
        errors["kind"] = [f"Loại đi cơ sở không hợp lệ: {data.kind} / unknown kind of visit: {data.kind}"]
    if data.date > today:
        errors["date"] = [f"Ngày {data.date:%d/%m/%Y} chưa đến: chỉ ghi lần đi cơ sở đã diễn ra / "
                          f"{data.date:%d/%m/%Y} is in the future: record visits that took place"]
    unknown = set(clean_findings(data.findings)) - _topic_codes(province_id)
    if unknown:
        errors["findings"] = [f"Chủ đề không có trong danh mục: {', '.join(sorted(unknown))} / "
                              f"unknown checklist topic(s): {', '.join(sorted(unknown))}"]
    if any(len(clean_text(v)) > MAX_TEXT for v in data.findings.values()):
        errors.setdefault("findings", []).append(
            f"Mỗi chủ đề ghi tối đa {MAX_TEXT} ký tự / each finding is at most {MAX_TEXT} characters")
    if len(clean_text(data.notes)) > MAX_NOTES:
        errors["notes"] = [f"Ghi chú tối đa {MAX_NOTES} ký tự / notes are at most {MAX_NOTES} characters"]
    if (data.latitude is None) != (data.longitude is None) or (
            data.latitude is not None and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)) or (
            data.accuracy_m is not None and data.accuracy_m < 0):
        errors["gps"] = ["Vị trí GPS không hợp lệ (cần vĩ độ và kinh độ) / invalid GPS position (latitude and "
                         "longitude are both needed)"]
    if len(data.concerns) > MAX_CONCERNS:
        errors["concerns"] = [f"Tối đa {MAX_CONCERNS} ý kiến trong một lần / at most {MAX_CONCERNS} concerns"]
    for index, concern in enumerate(data.concerns, start=1):
        text = clean_text(concern.text)
        if not text or len(text) > MAX_TEXT:
            errors.setdefault("concerns", []).append(
                f"Ý kiến {index}: nội dung bắt buộc, tối đa {MAX_TEXT} ký tự / concern {index}: the text is required, "
                f"at most {MAX_TEXT} characters")
        if concern.field not in Field.values:
            errors.setdefault("concerns", []).append(
                f"Ý kiến {index}: lĩnh vực không hợp lệ ({concern.field}) / concern {index}: unknown field")
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
        raise ValidationError({"concerns": ["Ý kiến gắn với hộ không có trong lần đi cơ sở này / a concern names a "
                                            "household that is not part of this visit"]})
    places = units + [h.village for h in households]
    unit = next((u for u in places if u.pk == concern.unit_id), None)
    if concern.unit_id and unit is None:
        raise ValidationError({"concerns": ["Ý kiến gắn với đơn vị không có trong lần đi cơ sở này / a concern names "
                                            "a unit that is not part of this visit"]})
    return unit or (household.village if household else places[0]), household


def _receive_concerns(actor: Any, visit: Visit, data: VisitIn, units: list[AdminUnit],
                      households: list[Household]) -> list[int]:
    if not data.concerns:
        return []
    try:
        from gandan.petitions.services import petition_receive
    except ImportError as exc:  # the concerns module is not installed yet
        raise ValidationError({"concerns": [
            "Chưa ghi được ý kiến: phân hệ phản ánh, kiến nghị chưa sẵn sàng / "
            "concerns cannot be recorded yet: the concerns module is missing"]}) from exc
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


def _links(visit: Visit, units: Iterable[AdminUnit], households: Iterable[Household]) -> None:
    """The link rows of a visit: its units, its households, and the villages of its households."""
    unit_ids = list(dict.fromkeys([u.pk for u in units] + [h.village_id for h in households]))
    common = {"province_id": visit.province_id, "visit": visit, "cadre_id": visit.cadre_id, "date": visit.date}
    VisitUnit.objects.bulk_create([VisitUnit(unit_id=pk, **common) for pk in unit_ids])
    VisitHousehold.objects.bulk_create([VisitHousehold(household=h, **common) for h in households])


def visit_record(*, actor: Any, client_uuid: uuid_lib.UUID | str, data: VisitIn,
                 cadre: Cadre | None = None) -> tuple[Visit, bool]:
    """Record a visit, or recognise a retry of one. Returns (visit, created).

    Raises VisitConflict (same UUID, other body), MonthLocked, ValidationError, PermissionDenied."""
    cadre = _cadre_for(actor, cadre)
    client_uuid = uuid_lib.UUID(str(client_uuid))
    digest = body_hash(data.normalised(cadre.pk))
    lookup = {"province_id": cadre.province_id, "client_uuid": client_uuid}
    existing = Visit.objects.filter(**lookup).first()
    if existing is not None:
        return _replay(existing, digest, cadre)
    now = timezone.now()
    today = timezone.localdate(now)
    _validate(data, cadre.province_id, today)
    if is_month_locked(cadre.province_id, data.date):
        raise MonthLocked(data.date)
    units, households = _places(actor, cadre, data)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                province_id=cadre.province_id, client_uuid=client_uuid, cadre=cadre, date=data.date, kind=data.kind,
                findings=clean_findings(data.findings), notes=clean_text(data.notes), latitude=data.latitude,
                longitude=data.longitude, accuracy_m=data.accuracy_m,
                gps_distance_m=_distance(data.latitude, data.longitude, units, households),
                delay_days=(today - data.date).days, recorded_at=now, recorded_by=actor if actor else None,
                body_hash=digest)
            _links(visit, units, households)
            concerns = _receive_concerns(actor, visit, data, units, households)
            audit.record(actor=actor, action="visit.record", obj=visit, after={
                **audit.snapshot(visit, VISIT_FIELDS), "units": [u.pk for u in units],
                "households": [h.pk for h in households], "concerns": concerns})
    except IntegrityError:
        existing = Visit.objects.filter(**lookup).first()
        if existing is None:
            raise
        return _replay(existing, digest, cadre)
    return visit, True


def may_edit(actor: Any, visit: Visit) -> bool:
    """The visit's own cadre, or a holder of a write role over the cadre's unit."""
    if actor is None:
        return True
    return getattr(actor, "cadre_id", None) == visit.cadre_id or scoping.has_role(actor, WRITE_ROLES, visit.cadre.unit)


EDITABLE = ("date", "kind", "findings", "notes", "unit_ids", "household_ids")


def visit_update(*, actor: Any, visit: Visit, changes: Mapping[str, Any]) -> Visit:
    """Correct a submitted visit (date, kind, places, findings, notes); audited with before and after.

    The stored body hash stays that of the first submission, so a late retry of it is still a retry."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({"__all__": [f"Không sửa được: {', '.join(sorted(unknown))} / not editable"]})
    if not may_edit(actor, visit):
        raise PermissionDenied("Chỉ người đi cơ sở hoặc lãnh đạo đơn vị được sửa / only the cadre or their "
                               "leaders may edit this visit")
    current_units = list(visit.unit_links.values_list("unit_id", flat=True))
    current_households = list(visit.household_links.values_list("household_id", flat=True))
    village_ids = set(Household.objects.filter(pk__in=current_households).values_list("village_id", flat=True))
    data = VisitIn(
        date=changes.get("date", visit.date), kind=changes.get("kind", visit.kind),
        unit_ids=changes.get("unit_ids", [pk for pk in current_units if pk not in village_ids]),
        household_ids=changes.get("household_ids", current_households),
        findings=changes.get("findings", visit.findings), notes=changes.get("notes", visit.notes),
        latitude=visit.latitude, longitude=visit.longitude, accuracy_m=visit.accuracy_m)
    for day in {visit.date, data.date}:
        if is_month_locked(visit.province_id, day):
            raise MonthLocked(day)
    _validate(data, visit.province_id, timezone.localdate())
    cadre = visit.cadre
    units, households = _places(actor, cadre, data) if {"unit_ids", "household_ids"} & set(changes) else (None, None)
    fields = ["date", "kind", "findings", "notes"]
    with transaction.atomic():
        before = {**audit.snapshot(visit, fields), "units": current_units, "households": current_households}
        visit.date, visit.kind = data.date, data.kind
        visit.findings, visit.notes = clean_findings(data.findings), clean_text(data.notes)
        visit.delay_days = (timezone.localdate(visit.recorded_at) - visit.date).days
        if units is not None:
            visit.gps_distance_m = _distance(visit.latitude, visit.longitude, units, households)
            visit.unit_links.all().delete()
            visit.household_links.all().delete()
            _links(visit, units, households)
        elif "date" in changes:
            visit.unit_links.update(date=visit.date)
            visit.household_links.update(date=visit.date)
        visit.save(update_fields=[*fields, "delay_days", "gps_distance_m", "updated_at"])
        after = {**audit.snapshot(visit, fields),
                 "units": list(visit.unit_links.values_list("unit_id", flat=True)),
                 "households": list(visit.household_links.values_list("household_id", flat=True))}
        audit.record(actor=actor, action="visit.update", obj=visit, before=before, after=after)
    return visit


def photo_add(*, actor: Any, visit: Visit, upload: UploadedFile) -> tuple[VisitPhoto, bool]:
    """Attach a photo to a visit; the same picture again returns the stored one. Returns (photo, created).

    Raises PhotoRejected (type, size, count), MonthLocked, PermissionDenied."""
    if not may_edit(actor, visit):
        raise PermissionDenied("Chỉ người đi cơ sở hoặc lãnh đạo đơn vị được thêm ảnh / only the cadre or their "
                               "leaders may add photos")
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
        photo = VisitPhoto(province_id=visit.province_id, visit=visit, content_type=content_type,
                           size=upload.size, sha256=sha, uploaded_by=actor if actor else None)
        photo.file.save(upload.name, upload, save=False)
        photo.save()
        audit.record(actor=actor, action="visit.photo_add", obj=photo,
                     after={**audit.snapshot(photo, ["visit_id", "content_type", "size", "sha256"]),
                            "file": photo.file.name})
    return photo, True


# -- topics and quotas ------------------------------------------------------------------------------
def _require_settings_role(actor: Any, province: AdminUnit) -> None:
    if actor is not None and not scoping.has_role(actor, SETTINGS_ROLES, province):
        raise PermissionDenied("Chỉ quản trị hoặc cấp ủy cấp tỉnh được thay đổi cấu hình này / only province "
                               "administrators or the committee may change this setting")


def topics_ensure_defaults(*, actor: Any, province: AdminUnit) -> list[ChecklistTopic]:
    """The province's checklist, filled with the default topics when it has none (idempotent)."""
    existing = list(ChecklistTopic.objects.filter(province=province))
    if existing:
        return existing
    with transaction.atomic():
        rows = ChecklistTopic.objects.bulk_create([
            ChecklistTopic(province=province, code=code, name_vi=vi, name_en=en, position=i)
            for i, (code, vi, en) in enumerate(DEFAULT_TOPICS, start=1)])
        audit.record(actor=actor, action="checklist.defaults", obj=province,
                     after={"topics": [code for code, _vi, _en in DEFAULT_TOPICS]})
    return rows


def topic_save(*, actor: Any, province: AdminUnit, code: str, name_vi: str, name_en: str = "",
               position: int | None = None, is_active: bool = True) -> ChecklistTopic:
    """Add a checklist topic or change one (its code stays: findings are keyed by it)."""
    _require_settings_role(actor, province)
    code = slugify(fold(code or name_vi))[:40]
    name_vi = clean_text(name_vi)
    if not code or not name_vi:
        raise ValidationError({"name_vi": "Tên chủ đề là bắt buộc / the topic's name is required"})
    topics_ensure_defaults(actor=actor, province=province)
    with transaction.atomic():
        topic = ChecklistTopic.objects.filter(province=province, code=code).first()
        before = audit.snapshot(topic) if topic else None
        if topic is None:
            last = ChecklistTopic.objects.filter(province=province).order_by("-position").first()
            topic = ChecklistTopic(province=province, code=code, position=(last.position + 1) if last else 1)
        topic.name_vi, topic.name_en, topic.is_active = name_vi, clean_text(name_en), is_active
        if position is not None:
            topic.position = position
        topic.save()
        audit.record(actor=actor, action="checklist.save", obj=topic, before=before, after=audit.snapshot(topic),
                     province_id=province.pk)
    return topic


def quotas_ensure_defaults(*, actor: Any, province: AdminUnit) -> list[Quota]:
    existing = list(Quota.objects.filter(province=province))
    if existing:
        return existing
    with transaction.atomic():
        rows = Quota.objects.bulk_create([
            Quota(province=province, level=level, employment_type=etype, field_days_per_month=days,
                  visits_per_month=visits, meeting_attendance_pct=pct)
            for level, etype, days, visits, pct in DEFAULT_QUOTAS])
        audit.record(actor=actor, action="quota.defaults", obj=province,
                     after={"quotas": [list(q) for q in DEFAULT_QUOTAS]})
    return rows


def quota_save(*, actor: Any, province: AdminUnit, level: str, employment_type: str = "", field_days: int,
               visits: int, meeting_pct: int) -> Quota:
    _require_settings_role(actor, province)
    errors: dict[str, list[str]] = {}
    if employment_type and employment_type not in EmploymentType.values:
        errors["employment_type"] = ["Loại cán bộ không hợp lệ / unknown employment type"]
    if not level:
        errors["level"] = ["Cấp là bắt buộc / the level is required"]
    limits = (("field_days", field_days, 31), ("visits", visits, 200), ("meeting_pct", meeting_pct, 100))
    for name, value, high in limits:
        if not 0 <= value <= high:
            errors[name] = [f"Phải từ 0 đến {high} / must be between 0 and {high}"]
    if errors:
        raise ValidationError(errors)
    quotas_ensure_defaults(actor=actor, province=province)  # the other levels keep their defaults
    with transaction.atomic():
        quota = Quota.objects.filter(province=province, level=level, employment_type=employment_type).first()
        before = audit.snapshot(quota) if quota else None
        quota = quota or Quota(province=province, level=level, employment_type=employment_type)
        quota.field_days_per_month, quota.visits_per_month = field_days, visits
        quota.meeting_attendance_pct = meeting_pct
        quota.save()
        audit.record(actor=actor, action="quota.save", obj=quota, before=before,
                     after=audit.snapshot(quota, ["level", "employment_type", "field_days_per_month",
                                                  "visits_per_month", "meeting_attendance_pct"]))
    return quota


# -- month locks ------------------------------------------------------------------------------------
def month_lock(*, actor: Any, province: AdminUnit, month: dt.date) -> MonthLock:
    """Lock a month of a province: its visits, photos and attendance become read-only. Idempotent.

    Administrators do it for now; the monthly evaluation will call it (actor None) on conclusion."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, province):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được khóa sổ tháng / only province administrators may lock "
                               "a month")
    first = month.replace(day=1)
    with transaction.atomic():
        lock, created = MonthLock.objects.get_or_create(province=province, month=first,
                                                        defaults={"locked_by": actor if actor else None})
        if created:
            audit.record(actor=actor, action="month.lock", obj=lock, after=audit.snapshot(lock))
    return lock


def month_unlock(*, actor: Any, province: AdminUnit, month: dt.date) -> None:
    """Reopen a month (an administrator's correction); audited."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, province):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được mở khóa sổ tháng / only province administrators may "
                               "unlock a month")
    with transaction.atomic():
        lock = MonthLock.objects.filter(province=province, month=month.replace(day=1)).first()
        if lock is not None:
            audit.record(actor=actor, action="month.unlock", obj=lock, before=audit.snapshot(lock))
            lock.delete()


# -- meetings and attendance ------------------------------------------------------------------------
def meeting_create(*, actor: Any, unit: AdminUnit, kind: str, date: dt.date, title: str = "",
                   party_cell: PartyCell | None = None, secretary: Cadre | None = None) -> Meeting:
    if actor is not None and not scoping.has_role(actor, RECORD_ROLES, unit):
        raise PermissionDenied("Bạn không ghi được cuộc họp của đơn vị này / you may not record this unit's meetings")
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = ["Loại cuộc họp không hợp lệ / unknown kind of meeting"]
    if party_cell is not None and party_cell.unit_id != unit.pk:
        errors["party_cell"] = ["Chi bộ không thuộc đơn vị này / the party cell does not meet at this unit"]
    if kind == MeetingKind.PARTY_CELL and party_cell is None:
        errors["party_cell"] = ["Hãy chọn chi bộ / choose the party cell"]
    if secretary is not None and secretary.province_id != unit.province_id:
        errors["secretary"] = ["Thư ký phải là cán bộ trong tỉnh / the secretary must be a cadre of the province"]
    if errors:
        raise ValidationError(errors)
    if is_month_locked(unit.province_id, date):
        raise MonthLocked(date)
    with transaction.atomic():
        meeting = Meeting.objects.create(province_id=unit.province_id, unit=unit, kind=kind, date=date,
                                         title=clean_text(title)[:250], party_cell=party_cell, secretary=secretary,
                                         created_by=actor if actor else None)
        audit.record(actor=actor, action="meeting.create", obj=meeting, after=audit.snapshot(meeting))
    return meeting


def may_record_for_all(actor: Any, meeting: Meeting) -> bool:
    """The meeting's secretary, its creator and holders of a write role over its unit record for everyone."""
    if actor is None:
        return True
    cadre_id = getattr(actor, "cadre_id", None)
    return (cadre_id is not None and cadre_id == meeting.secretary_id) or meeting.created_by_id == actor.pk or \
        scoping.has_role(actor, WRITE_ROLES, meeting.unit)


def _followers(meeting: Meeting) -> set[int]:
    try:
        from gandan.assignments.queries import followers_of
    except ImportError:
        return set()
    return set(followers_of(meeting.unit, on=meeting.date).values_list("pk", flat=True))


def attendance_record(*, actor: Any, meeting: Meeting, entries: Mapping[int, str]) -> list[Attendance]:
    """Record attendance: the secretary for everyone at once, or a cadre for themself (`entries`: cadre id →
    status). Rows already there are updated; one audit event lists every change."""
    own = getattr(actor, "cadre_id", None)
    if not may_record_for_all(actor, meeting) and set(entries) - {own}:
        raise PermissionDenied("Chỉ thư ký cuộc họp ghi điểm danh cho người khác; bạn chỉ ghi cho chính mình / "
                               "only the meeting's secretary records others; you may record yourself")
    bad = {pk: s for pk, s in entries.items() if s not in AttendanceStatus.values}
    if bad:
        raise ValidationError({"status": [f"Trạng thái không hợp lệ: {', '.join(sorted(set(bad.values())))} / "
                                          "unknown attendance status"]})
    cadres = set(Cadre.objects.filter(pk__in=list(entries), province_id=meeting.province_id)
                 .values_list("pk", flat=True))
    missing = sorted(set(entries) - cadres)
    if missing:
        raise ValidationError({"cadre": [f"Không tìm thấy cán bộ {', '.join(map(str, missing))} / "
                                         f"cadre(s) {', '.join(map(str, missing))} not found"]})
    if is_month_locked(meeting.province_id, meeting.date):
        raise MonthLocked(meeting.date)
    followers = _followers(meeting)
    now = timezone.now()
    with transaction.atomic():
        existing = {a.cadre_id: a for a in Attendance.objects.select_for_update().filter(
            meeting=meeting, cadre_id__in=list(entries))}
        changed, created, before = [], [], {}
        for cadre_id, status in entries.items():
            row = existing.get(cadre_id)
            if row is None:
                created.append(Attendance(province_id=meeting.province_id, meeting=meeting, cadre_id=cadre_id,
                                          date=meeting.date, status=status, as_follower=cadre_id in followers,
                                          recorded_by=actor if actor else None, recorded_at=now))
            elif row.status != status:
                before[cadre_id] = row.status
                row.status, row.recorded_by, row.recorded_at = status, actor if actor else None, now
                changed.append(row)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
        if created or changed:
            audit.record(actor=actor, action="meeting.attendance", obj=meeting, before=before or None,
                         after={str(a.cadre_id): a.status for a in created + changed})
    return list(Attendance.objects.filter(meeting=meeting, cadre_id__in=list(entries)))


# -- hooks ------------------------------------------------------------------------------------------
def move_meetings(source: AdminUnit, target: AdminUnit) -> dict[str, int]:
    """MERGE_MOVERS hook: meetings not yet held at a merged unit now take place at its successor."""
    moved = Meeting.objects.filter(unit=source, date__gte=timezone.localdate()).update(unit=target)
    return {"fieldwork.meetings": moved}


def release_secretary(cadre: Cadre, left_on: dt.date, actor: Any) -> None:
    """CADRE_LEAVE_HOOKS hook: a departing cadre is no longer secretary of meetings after they leave."""
    Meeting.objects.filter(secretary=cadre, date__gte=left_on).update(secretary=None)
