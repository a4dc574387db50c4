"""Writes on campaign events: record one (idempotent by client UUID, like visits), correct it,
delete it, attach photos. Atomic, audited.

Recording an event also records field work: each named cadre gets one field-day visit through
`fieldwork.linked_visits` (keyed by the event's UUID), linked from the cadre's `EventCadre` row, so
that quotas and compliance count it without a second entry. A correction moves those visits with
the event (date, place), adds and removes them with the cadres; a deletion deletes them.

Everything an event says is checked before anything is written, and a refusal names its field:
a value for an indicator the campaign does not measure, in another unit of measure than the
indicator's, negative or absurdly large; fewer participations than named cadres; cadres not of
the organising agency; a place or agency outside the campaign's scope; a date outside its period
or still to come.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.campaigns.inputs import EventChange, EventIn
from gandan.campaigns.models import Campaign, CampaignEvent, EventCadre, EventOutput, EventPhoto, Measure
from gandan.core import audit
from gandan.core.paths import path_within
from gandan.fieldwork.linked_visits import linked_visits_sync
from gandan.fieldwork.photos import EXTENSIONS, HEAD_BYTES, check_photo
from gandan.fieldwork.queries import is_month_locked
from gandan.fieldwork.services import MonthLocked, photo_limits
from gandan.fieldwork.sync import body_hash, clean_text
from gandan.org.models import AdminUnit, Agency, PartyCell
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, User

MAX_AMOUNT = Decimal("1000000000")
MAX_NOTES = 10000
MAX_CADRES = 500
CITIZEN_GROUPS = ("women", "youth", "elderly", "veterans", "farmers", "students", "other")
EVENT_FIELDS = ["province_id", "client_uuid", "campaign_id", "date", "unit_id", "agency_id", "cadre_participations",
                "citizens", "citizen_groups", "party_members_reached", "notes"]

__all__ = ["EventConflict", "MonthLocked", "event_delete", "event_record", "event_update", "may_record",
           "photo_add"]


class EventConflict(Exception):
    """The client UUID was already used for a different event (HTTP 409)."""

    def __init__(self, event: CampaignEvent) -> None:
        super().__init__(_("Mã đồng bộ (UUID) này đã dùng cho một đợt khác với nội dung khác; hãy tạo bản ghi mới."))
        self.event = event


def may_record(actor: User | None, agency: Agency) -> bool:
    """The organising agency's own cadres (the organiser on a phone) and holders of a write role over its unit."""
    if actor is None:
        return True
    cadre = getattr(actor, "cadre", None)
    return (cadre is not None and cadre.agency_id == agency.pk and cadre.left_on is None) or \
        scoping.has_role(actor, WRITE_ROLES, agency.unit)


def _in_scope(campaign: Campaign, path: str, *, agencies: bool) -> bool:
    """Whether `path` lies in the campaign's scope (for agencies: the scope unit itself unless with_subtree)."""
    for row in campaign.scope.select_related("unit"):
        if path == row.unit.path or ((row.with_subtree or not agencies) and path_within(path, row.unit.path)):
            return True
    return path_within(path, campaign.unit.path) if not agencies else path == campaign.unit.path


def _check_outputs(campaign: Campaign, data: EventChange, errors: dict[str, list[str]]) -> list[EventOutput]:
    indicators = {i.code: i for i in campaign.indicators.all()}
    outputs, seen = [], set()
    for index, value in enumerate(data.outputs, start=1):
        key = f"outputs.{index}"
        code = value.indicator.strip()
        indicator = indicators.get(code)
        if indicator is None:
            errors.setdefault(f"{key}.indicator", []).append(
                _("Dòng chỉ tiêu %(n)s: phong trào không đo chỉ tiêu “%(code)s”.") % {"n": index, "code": code})
            continue
        if code in seen:
            errors.setdefault(f"{key}.indicator", []).append(
                _("Dòng chỉ tiêu %(n)s: chỉ tiêu “%(name)s” đã ghi ở dòng trên.")
                % {"n": index, "name": indicator.label})
        seen.add(code)
        if value.measure.strip() != indicator.measure:
            shown = Measure(indicator.measure).label
            errors.setdefault(f"{key}.measure", []).append(
                _("Dòng chỉ tiêu %(n)s: “%(name)s” đo bằng %(measure)s, không phải “%(given)s”; hãy đổi số liệu sang "
                  "%(measure)s.") % {"n": index, "name": indicator.label, "measure": shown,
                                     "given": value.measure.strip()})
        amount = value.amount
        if not amount.is_finite() or amount < 0:
            errors.setdefault(f"{key}.amount", []).append(
                _("Dòng chỉ tiêu %(n)s: số liệu của “%(name)s” không được âm.") % {"n": index, "name": indicator.label})
        elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
            errors.setdefault(f"{key}.amount", []).append(
                _("Dòng chỉ tiêu %(n)s: số liệu của “%(name)s” tối đa %(max)s, hai chữ số thập phân.")
                % {"n": index, "name": indicator.label, "max": f"{MAX_AMOUNT:,.0f}".replace(",", ".")})
        else:
            outputs.append(EventOutput(indicator=indicator, measure=indicator.measure, amount=amount))
    return outputs


def _validate(actor: User | None, campaign: Campaign, data: EventChange) -> dict[str, Any]:
    """Every check of an event; returns what it names (place, agency, cadres, cells, outputs)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.date > today:
        errors["date"] = [_("Ngày %(date)s chưa đến: chỉ ghi đợt đã diễn ra.") % {"date": f"{data.date:%d/%m/%Y}"}]
    elif data.date < campaign.starts_on or (campaign.ends_on and data.date > campaign.ends_on):
        errors["date"] = [_("Ngày %(date)s nằm ngoài thời gian của phong trào.") % {"date": f"{data.date:%d/%m/%Y}"}]
    unit = AdminUnit.objects.filter(pk=data.unit_id, valid_to__isnull=True).first()
    if unit is None or not _in_scope(campaign, unit.path, agencies=False):
        errors["unit_id"] = [_("Không tìm thấy nơi tổ chức trong phạm vi của phong trào.")]
    agency = Agency.objects.select_related("unit").filter(pk=data.agency_id).first()
    if agency is None or not _in_scope(campaign, agency.unit.path, agencies=True):
        errors["agency_id"] = [_("Cơ quan này không tham gia phong trào.")]
    elif not may_record(actor, agency):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan tổ chức hoặc lãnh đạo đơn vị được ghi đợt này."))
    cadre_ids = sorted(set(data.cadre_ids))
    if len(cadre_ids) > MAX_CADRES:
        errors["cadre_ids"] = [_("Tối đa %(max)s cán bộ trong một đợt.") % {"max": MAX_CADRES}]
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=cadre_ids[:MAX_CADRES], agency_id=data.agency_id)
              .active().only("pk", "province_id", "full_name")}
    missing = [pk for pk in cadre_ids if pk not in cadres]
    if missing and "agency_id" not in errors:
        errors["cadre_ids"] = [_("Cán bộ %(ids)s không thuộc cơ quan tổ chức đợt này.")
                               % {"ids": ", ".join(map(str, missing))}]
    participations = len(cadre_ids) if data.cadre_participations is None else data.cadre_participations
    if participations < len(cadre_ids):
        errors["cadre_participations"] = [
            _("Số lượt cán bộ tham gia (%(count)s) ít hơn số cán bộ đã ghi tên (%(named)s).")
            % {"count": participations, "named": len(cadre_ids)}]
    groups = {k.strip(): v for k, v in data.citizen_groups.items() if v}
    unknown = sorted(set(groups) - set(CITIZEN_GROUPS))
    if unknown:
        errors["citizen_groups"] = [_("Nhóm người dân không hợp lệ: %(groups)s.") % {"groups": ", ".join(unknown)}]
    elif sum(groups.values()) > data.citizens:
        errors["citizen_groups"] = [_("Tổng theo nhóm (%(sum)s) vượt số lượt người dân (%(count)s).")
                                    % {"sum": sum(groups.values()), "count": data.citizens}]
    cell_ids = sorted(set(data.party_cell_ids))
    cells = list(PartyCell.objects.filter(pk__in=cell_ids).select_related("unit")) if unit else []
    if unit is not None and (len(cells) != len(cell_ids) or any(not path_within(c.unit.path, unit.path)
                                                                 for c in cells)):
        errors["party_cell_ids"] = [_("Chi bộ được chọn phải thuộc nơi tổ chức.")]
    outputs = _check_outputs(campaign, data, errors)
    if len(clean_text(data.notes)) > MAX_NOTES:
        errors["notes"] = [_("Ghi chú tối đa %(max)s ký tự.") % {"max": MAX_NOTES}]
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "agency": agency, "cadres": [cadres[pk] for pk in cadre_ids], "cells": cells,
            "outputs": outputs, "participations": participations, "groups": dict(sorted(groups.items()))}


def _write_parts(actor: User | None, event: CampaignEvent, checked: dict[str, Any],
                 previous: list[int]) -> None:
    """The event's cadres (with their field-day visits), outputs and party cells, replacing any before."""
    cadre_ids = [c.pk for c in checked["cadres"]]
    visits = linked_visits_sync(actor=actor, source=event.client_uuid, date=event.date, unit=checked["unit"],
                                cadre_ids=cadre_ids, previous_cadre_ids=previous,
                                notes=event.campaign.name)
    event.cadre_links.exclude(cadre_id__in=cadre_ids).delete()
    kept = {link.cadre_id: link for link in event.cadre_links.all()}
    for link in kept.values():
        link.date, link.campaign_id, link.visit = event.date, event.campaign_id, visits.get(link.cadre_id)
    EventCadre.objects.bulk_update(list(kept.values()), ["date", "campaign", "visit"])
    EventCadre.objects.bulk_create([
        EventCadre(province_id=event.province_id, event=event, cadre_id=pk, campaign_id=event.campaign_id,
                   date=event.date, visit=visits.get(pk)) for pk in cadre_ids if pk not in kept])
    event.outputs.all().delete()
    for output in checked["outputs"]:
        output.event = event
    EventOutput.objects.bulk_create(checked["outputs"])
    event.party_cells.set(checked["cells"])


def _snapshot(event: CampaignEvent) -> dict[str, Any]:
    return {**audit.snapshot(event, EVENT_FIELDS),
            "cadres": sorted(event.cadre_links.values_list("cadre_id", flat=True)),
            "cells": sorted(event.party_cells.values_list("pk", flat=True)),
            "outputs": {o.indicator.code: [str(o.amount), o.measure]
                        for o in event.outputs.select_related("indicator")}}


def _replay(existing: CampaignEvent, digest: str) -> tuple[CampaignEvent, bool]:
    if existing.body_hash != digest:
        raise EventConflict(existing)
    return existing, False


def event_record(*, actor: User | None, campaign: Campaign, data: EventIn) -> tuple[CampaignEvent, bool]:
    """Record an event of `campaign`, or recognise a retry of one. Returns (event, created).

    Raises EventConflict (same UUID, other body), MonthLocked, ValidationError, PermissionDenied."""
    digest = body_hash(data.normalised(campaign.pk))
    lookup = {"province_id": campaign.province_id, "client_uuid": data.client_uuid}
    existing = CampaignEvent.objects.filter(**lookup).first()
    if existing is not None:
        return _replay(existing, digest)
    checked = _validate(actor, campaign, data)
    if is_month_locked(campaign.province_id, data.date):
        raise MonthLocked(data.date)
    try:
        with transaction.atomic():
            event = CampaignEvent.objects.create(
                province_id=campaign.province_id, client_uuid=data.client_uuid, campaign=campaign, date=data.date,
                unit=checked["unit"], recorded_unit=checked["unit"], agency=checked["agency"],
                cadre_participations=checked["participations"], citizens=data.citizens,
                citizen_groups=checked["groups"], party_members_reached=data.party_members_reached,
                notes=clean_text(data.notes), recorded_by=actor, body_hash=digest)
            _write_parts(actor, event, checked, previous=[])
            audit.record(actor=actor, action="campaign_event.record", obj=event, after=_snapshot(event))
    except IntegrityError:
        existing = CampaignEvent.objects.filter(**lookup).first()
        if existing is None:
            raise
        return _replay(existing, digest)
    return event, True


def event_update(*, actor: User | None, event: CampaignEvent, data: EventChange) -> CampaignEvent:
    """Correct an event (the whole body again); its field-day visits follow. Audited with before and after."""
    if not may_record(actor, event.agency):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan tổ chức hoặc lãnh đạo đơn vị được sửa đợt này."))
    checked = _validate(actor, event.campaign, data)
    for day in {event.date, data.date}:
        if is_month_locked(event.province_id, day):
            raise MonthLocked(day)
    with transaction.atomic():
        before = _snapshot(event)
        previous = before["cadres"]
        event.date, event.unit, event.agency = data.date, checked["unit"], checked["agency"]
        if event.unit_id != before["unit_id"]:
            event.recorded_unit = checked["unit"]
        event.cadre_participations, event.citizens = checked["participations"], data.citizens
        event.citizen_groups, event.party_members_reached = checked["groups"], data.party_members_reached
        event.notes = clean_text(data.notes)
        event.save()
        _write_parts(actor, event, checked, previous=previous)
        audit.record(actor=actor, action="campaign_event.update", obj=event, before=before, after=_snapshot(event))
    return event


def event_delete(*, actor: User | None, event: CampaignEvent) -> None:
    """Delete an event recorded by mistake, with its field-day visits. Audited with what it said."""
    if not may_record(actor, event.agency):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan tổ chức hoặc lãnh đạo đơn vị được xóa đợt này."))
    if is_month_locked(event.province_id, event.date):
        raise MonthLocked(event.date)
    with transaction.atomic():
        before = _snapshot(event)
        linked_visits_sync(actor=actor, source=event.client_uuid, date=event.date, unit=event.unit, cadre_ids=[],
                           previous_cadre_ids=before["cadres"])
        audit.record(actor=actor, action="campaign_event.delete", obj=event, before=before)
        event.delete()


def photo_add(*, actor: User | None, event: CampaignEvent, upload: UploadedFile) -> tuple[EventPhoto, bool]:
    """Attach a photo to an event; the same picture again returns the stored one. Returns (photo, created)."""
    if not may_record(actor, event.agency):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan tổ chức hoặc lãnh đạo đơn vị được thêm ảnh."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    existing = event.photos.filter(sha256=sha).first()
    if existing is not None:
        return existing, False
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = check_photo(name=(upload.name or "ảnh")[:80], size=upload.size or 0, head=head,
                               already=event.photos.count(), limits=photo_limits())
    upload.name = f"photo.{EXTENSIONS[content_type]}"
    with transaction.atomic():
        photo = EventPhoto(event=event, content_type=content_type, size=upload.size or 0, sha256=sha,
                           uploaded_by=actor)
        photo.file.save(upload.name, upload, save=False)
        photo.save()
        audit.record(actor=actor, action="campaign_event.photo_add", obj=photo, province_id=event.province_id,
                     after={**audit.snapshot(photo, ["event_id", "content_type", "size", "sha256"]),
                            "file": photo.file.name})
    return photo, True
