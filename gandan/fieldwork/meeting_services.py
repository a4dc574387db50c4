"""Writes on meetings and their attendance, and the hook other apps call (cadre leave; merges in merges.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gandan.assignments.queries import followers_of
from gandan.core import audit
from gandan.fieldwork.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from gandan.fieldwork.queries import is_month_locked
from gandan.fieldwork.services import RECORD_ROLES, MonthLocked
from gandan.fieldwork.sync import clean_text
from gandan.org.models import AdminUnit, PartyCell
from gandan.org.queries import ended_unit_message
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, User


def meeting_create(*, actor: User | None, unit: AdminUnit, kind: str, date: dt.date, title: str = "",
                   party_cell: PartyCell | None = None, secretary: Cadre | None = None) -> Meeting:
    if actor is not None and not scoping.has_role(actor, RECORD_ROLES, unit):
        raise PermissionDenied(_("Bạn không ghi được cuộc họp của đơn vị này"))
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Loại cuộc họp không hợp lệ")]
    if party_cell is not None and party_cell.unit_id != unit.pk:
        errors["party_cell"] = [_("Chi bộ không thuộc đơn vị này")]
    if kind == MeetingKind.PARTY_CELL and party_cell is None:
        errors["party_cell"] = [_("Hãy chọn chi bộ")]
    if secretary is not None and secretary.province_id != unit.province_id:
        errors["secretary"] = [_("Thư ký phải là cán bộ trong tỉnh")]
    if unit.valid_to is not None and date >= unit.valid_to:
        errors["unit"] = [ended_unit_message(unit)]
    if errors:
        raise ValidationError(errors)
    if is_month_locked(unit.province_id, date):  # type: ignore[arg-type]  # a saved unit has its province
        raise MonthLocked(date)
    with transaction.atomic():
        meeting = Meeting.objects.create(province_id=unit.province_id, unit=unit, kind=kind, date=date,  # type: ignore[misc]  # a saved unit has its province
                                         title=clean_text(title)[:250], party_cell=party_cell, secretary=secretary,
                                         created_by=actor if actor else None)
        audit.record(actor=actor, action="meeting.create", obj=meeting, after=audit.snapshot(meeting))
    return meeting


def may_record_for_all(actor: User | None, meeting: Meeting) -> bool:
    """The meeting's secretary, its creator and holders of a write role over its unit record for everyone."""
    if actor is None:
        return True
    cadre_id = getattr(actor, "cadre_id", None)
    return (cadre_id is not None and cadre_id == meeting.secretary_id) or meeting.created_by_id == actor.pk or \
        scoping.has_role(actor, WRITE_ROLES, meeting.unit)


def _followers(meeting: Meeting) -> set[int]:
    return set(followers_of(meeting.unit, on=meeting.date).values_list("pk", flat=True))


def attendance_record(*, actor: User | None, meeting: Meeting, entries: Mapping[int, str]) -> list[Attendance]:
    """Record attendance: the secretary for everyone at once, or a cadre for themself (`entries`: cadre id →
    status). Rows already there are updated; one audit event lists every change."""
    own = getattr(actor, "cadre_id", None)
    if not may_record_for_all(actor, meeting) and set(entries) - {own}:
        raise PermissionDenied(_("Chỉ thư ký cuộc họp ghi điểm danh cho người khác; bạn chỉ ghi cho chính mình"))
    bad = {pk: s for pk, s in entries.items() if s not in AttendanceStatus.values}
    if bad:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ: %(statuses)s")
                                          % {"statuses": ", ".join(sorted(set(bad.values())))}]})
    cadres = set(Cadre.objects.filter(pk__in=list(entries), province_id=meeting.province_id)
                 .values_list("pk", flat=True))
    missing = sorted(set(entries) - cadres)
    if missing:
        raise ValidationError({"cadre": [ngettext("Không tìm thấy cán bộ %(ids)s", "Không tìm thấy cán bộ %(ids)s",
                                                  len(missing)) % {"ids": ", ".join(map(str, missing))}]})
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


def release_secretary(sender: object, *, cadre: Cadre, left_on: dt.date, actor: User | None, **_: object) -> None:
    """`cadre_left` receiver: a departing cadre is no longer secretary of meetings after they leave."""
    Meeting.objects.filter(secretary=cadre, date__gte=left_on).update(secretary=None)
