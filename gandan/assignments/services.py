"""Writes on assignments and rules: atomic, audited, allowed to unit_admin or leader over the unit
where the target lies (and over the cadre's unit). The system (actor None: demo, hooks, CLI) may
act anywhere. History is kept: an assignment is closed by setting its end, never deleted.

The merge and leave hooks are registered in apps.py: a merged unit's ongoing assignments move to
the unit it merged into; a departing cadre's ongoing assignments end on the day they leave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.assignments import rules as R
from gandan.assignments.checks import (
    HOUSEHOLD,
    UNIT,
    Batch,
    RowError,
    TargetRef,
    Wish,
    cadre_refs,
    household_refs,
    target_ref,
    unit_refs,
)
from gandan.assignments.models import Assignment, AssignmentRule, FollowerRole
from gandan.assignments.queries import ASSIGN_ROLES
from gandan.core import audit
from gandan.org.models import AdminUnit, Household
from gandan.people import scoping
from gandan.people.models import Cadre, User

FIELD_OF_COLUMN = {"ma_can_bo": "cadre", "ma_dia_ban": "unit", "ma_ho": "household", "vai_tro": "role",
                   "ngay_bat_dau": "start", "ngay_ket_thuc": "end"}
TAKEN = gettext_lazy("Địa bàn vừa được người khác giao người phụ trách chính; hãy tải lại và kiểm tra")
NOT_ASSIGNER = gettext_lazy("Bạn không có quyền phân công ở đơn vị này (cần vai trò quản trị đơn vị hoặc lãnh đạo)")


class BatchRejected(ValidationError):
    """Some wishes of a batch failed; `rows` lists each by its line and field. Nothing was written."""

    def __init__(self, rows: list[RowError]) -> None:
        self.rows = rows
        super().__init__([e.message for e in rows])


def _require_assigner(actor: User | None, path: str) -> None:
    if actor is not None and not scoping.covers(actor, path, ASSIGN_ROLES):
        raise PermissionDenied(NOT_ASSIGNER)


def _snapshot(a: Assignment) -> dict[str, Any]:
    return audit.snapshot(a, ["cadre_id", "unit_id", "household_id", "role", "start", "end", "area_id"])


# -- rules ----------------------------------------------------------------------------------------
def rules_set(*, actor: User | None, province: AdminUnit, rules: Sequence[R.RuleSpec]) -> list[AssignmentRule]:
    """Replace the province's rule set. Existing assignments stay as they are (rules are checked when
    an assignment is made)."""
    _require_assigner(actor, province.path)
    problems = R.validate_rule_set(rules)
    if not rules:
        problems.append(_("Cần ít nhất một quy tắc"))
    if problems:
        raise ValidationError({"rules": problems})
    with transaction.atomic():
        before = [audit.snapshot(r, ["agency_level", "target_level", "primary_allowed", "supporting_allowed",
                                     "load_cap"]) for r in AssignmentRule.objects.filter(province=province)]
        AssignmentRule.objects.filter(province=province).delete()
        rows = AssignmentRule.objects.bulk_create([
            AssignmentRule(province=province, agency_level=r.agency_level, target_level=r.target_level,
                           primary_allowed=r.primary_allowed, supporting_allowed=r.supporting_allowed,
                           load_cap=r.load_cap) for r in rules])
        audit.record(actor=actor, action="assignment_rule.set", obj=province, object_type="assignments.rules",
                     before=before, after=[audit.snapshot(r, ["agency_level", "target_level", "primary_allowed",
                                                               "supporting_allowed", "load_cap"]) for r in rows],
                     province_id=province.pk)
    return rows


def rules_ensure_default(*, actor: User | None, province: AdminUnit) -> list[AssignmentRule]:
    """Write the two-tier default for a province that has no rules yet (idempotent)."""
    existing = list(AssignmentRule.objects.filter(province=province))
    return existing or rules_set(actor=actor, province=province, rules=R.DEFAULT_RULES)


# -- one by one -----------------------------------------------------------------------------------
def _cadre_ref_or_refuse(actor: User | None, cadre: Cadre):
    refs = cadre_refs(actor, pk=cadre.pk)
    if not refs:
        raise PermissionDenied(NOT_ASSIGNER)
    return refs[0]


def _target_ref_or_refuse(actor: User | None, unit: AdminUnit | None, household: Household | None) -> TargetRef:
    ref = target_ref(actor, unit=unit, household=household)
    if ref is None:
        raise PermissionDenied(NOT_ASSIGNER)
    return ref


def _new(actor: User | None, wish: Wish) -> Assignment:
    target = wish.target
    return Assignment(province_id=target.province_id, cadre_id=wish.cadre.id, role=wish.role,
                      unit_id=target.id if target.kind == UNIT else None,
                      household_id=target.id if target.kind == HOUSEHOLD else None,
                      area_id=target.area_id, start=wish.start, end=wish.end,
                      created_by=actor if getattr(actor, "pk", None) else None)


def assignment_create(*, actor: User | None, cadre: Cadre, unit: AdminUnit | None = None,
                      household: Household | None = None, role: str = FollowerRole.PRIMARY,
                      start: dt.date | None = None, end: dt.date | None = None) -> Assignment:
    """Cadre follows one unit or household from `start` (default today) until `end` (None = open)."""
    if role not in FollowerRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    wish = Wish(0, _cadre_ref_or_refuse(actor, cadre), _target_ref_or_refuse(actor, unit, household), role,
                start or timezone.localdate(), end)
    try:
        with transaction.atomic():
            errors = Batch(actor).check([wish])
            if errors:
                by_field: dict[str, list[str]] = {}
                for e in errors:
                    by_field.setdefault(FIELD_OF_COLUMN.get(e.field, "__all__"), []).append(e.message)
                raise ValidationError(by_field)
            assignment = _new(actor, wish)
            assignment.save()
            audit.record(actor=actor, action="assignment.create", obj=assignment, after=_snapshot(assignment))
    except IntegrityError as exc:  # a concurrent primary slipped past the lock (the unique index caught it)
        raise ValidationError({"role": TAKEN}) from exc
    return assignment


# -- many at once ---------------------------------------------------------------------------------
def create_many(*, actor: User | None, wishes: Sequence[Wish], action: str, about: dict[str, Any] | None = None,
                errors: Iterable[RowError] = ()) -> list[Assignment]:
    """Check every wish, then insert them all with one audit event, or raise BatchRejected listing
    every bad one (with `errors` found earlier, e.g. unknown codes) and write nothing."""
    try:
        with transaction.atomic():
            found = [*errors, *Batch(actor).check(wishes)]
            if found:
                raise BatchRejected(sorted(found, key=lambda e: (e.line, e.field)))
            rows = Assignment.objects.bulk_create([_new(actor, w) for w in wishes], batch_size=2000)
            if rows:
                audit.record(actor=actor, action=action, object_type="assignments.assignment",
                             object_id=f"{rows[0].pk}…" if len(rows) > 1 else str(rows[0].pk),
                             province_id=rows[0].province_id,
                             after={**(about or {}), "count": len(rows), "ids": [a.pk for a in rows[:1000]]})
    except IntegrityError as exc:  # a concurrent primary slipped past the lock (the unique index caught it)
        raise BatchRejected([RowError(0, "vai_tro", str(TAKEN))]) from exc
    return rows


def _refs_by_id(refs: list[TargetRef]) -> dict[int, TargetRef]:
    return {r.id: r for r in refs}


def assignments_bulk_create(*, actor: User | None, cadre: Cadre, unit_ids: Sequence[int] = (),
                            household_ids: Sequence[int] = (), role: str = FollowerRole.PRIMARY,
                            start: dt.date | None = None, end: dt.date | None = None) -> list[Assignment]:
    """One cadre follows every selected unit and household (a multi-select in a list)."""
    if role not in FollowerRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    if not unit_ids and not household_ids:
        raise ValidationError({"targets": _("Chưa chọn địa bàn nào")})
    cadre_ref = _cadre_ref_or_refuse(actor, cadre)
    start = start or timezone.localdate()
    units = _refs_by_id(unit_refs(actor, pk__in=list(unit_ids)))
    households = _refs_by_id(household_refs(actor, pk__in=list(household_ids)))
    wishes, missing = [], []
    targets = [(units, UNIT, pk) for pk in unit_ids] + [(households, HOUSEHOLD, pk) for pk in household_ids]
    for line, (found, kind, pk) in enumerate(targets, start=1):
        if pk in found:
            wishes.append(Wish(line, cadre_ref, found[pk], role, start, end))
        else:
            missing.append(RowError(line, "ma_ho" if kind == HOUSEHOLD else "ma_dia_ban",
                                    _("Không tìm thấy địa bàn #%(id)s") % {"id": pk}))
    return create_many(actor=actor, wishes=wishes, errors=missing, action="assignment.bulk_create",
                       about={"cadre": cadre.pk, "role": role})


def proposal_accept(*, actor: User | None, picks: Sequence[tuple[str, int, int]], start: dt.date | None = None,
                    unit: AdminUnit | None = None) -> list[Assignment]:
    """Accept a (possibly edited) proposal in one step: each pick is (kind, target id, cadre id),
    kind "unit" or "household"; every pick becomes a primary assignment, or none does."""
    if unit is not None:
        _require_assigner(actor, unit.path)
    if not picks:
        raise ValidationError({"picks": _("Đề xuất không có dòng nào được chọn")})
    start = start or timezone.localdate()
    cadres = {c.id: c for c in cadre_refs(actor, pk__in=[c for _, _, c in picks])}
    units = _refs_by_id(unit_refs(actor, pk__in=[t for k, t, _ in picks if k == UNIT]))
    households = _refs_by_id(household_refs(actor, pk__in=[t for k, t, _ in picks if k == HOUSEHOLD]))
    if unit is not None:  # the proposal was made for this unit: nothing outside it may slip in
        inside = lambda ref: R.lies_within(ref.area_path, unit.path)  # noqa: E731
        units = {k: v for k, v in units.items() if inside(v)}
        households = {k: v for k, v in households.items() if inside(v)}
    wishes, missing = [], []
    for line, (kind, target_id, cadre_id) in enumerate(picks, start=1):
        target = (households if kind == HOUSEHOLD else units).get(target_id)
        column = "ma_ho" if kind == HOUSEHOLD else "ma_dia_ban"
        if target is None:
            missing.append(RowError(line, column, _("Không tìm thấy địa bàn #%(id)s") % {"id": target_id}))
        elif cadre_id not in cadres:
            missing.append(RowError(line, "ma_can_bo", _("Không tìm thấy cán bộ #%(id)s") % {"id": cadre_id}))
        else:
            wishes.append(Wish(line, cadres[cadre_id], target, FollowerRole.PRIMARY, start))
    return create_many(actor=actor, wishes=wishes, errors=missing, action="assignment.proposal_accept",
                       about={"unit": unit.pk if unit else None})


# -- end, transfer --------------------------------------------------------------------------------
def assignment_end(*, actor: User | None, assignment: Assignment, on: dt.date | None = None) -> Assignment:
    """Close an assignment from `on` (default today): kept for history, not deleted."""
    on = on or timezone.localdate()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("area").get(pk=assignment.pk)
        _require_assigner(actor, assignment.area.path)
        if assignment.end is not None and assignment.end <= on:
            raise ValidationError({"end": _("Phân công đã kết thúc từ %(date)s")
                                          % {"date": f"{assignment.end:%d/%m/%Y}"}})
        if on < assignment.start:
            raise ValidationError({"end": _("Ngày kết thúc trước ngày bắt đầu %(date)s")
                                          % {"date": f"{assignment.start:%d/%m/%Y}"}})
        before = _snapshot(assignment)
        assignment.end = on
        assignment.save(update_fields=["end", "updated_at"])
        audit.record(actor=actor, action="assignment.end", obj=assignment, before=before,
                     after=_snapshot(assignment))
    return assignment


def assignment_transfer(*, actor: User | None, assignment: Assignment, to_cadre: Cadre,
                        on: dt.date | None = None) -> Assignment:
    """Hand a target over: the assignment ends on `on` and `to_cadre` follows it, same role, from `on`."""
    on = on or timezone.localdate()
    with transaction.atomic():
        old = assignment_end(actor=actor, assignment=assignment, on=on)
        new = assignment_create(actor=actor, cadre=to_cadre, unit=old.unit, household=old.household,
                                role=old.role, start=on)
        audit.record(actor=actor, action="assignment.transfer", obj=new,
                     after={"from": old.pk, "to": new.pk, "on": on})
    return new


# -- hooks ----------------------------------------------------------------------------------------
def close_for_leaver(sender: object, *, cadre: Cadre, left_on: dt.date, actor: User | None, **_: object) -> None:
    """`cadre_left` receiver: the cadre's ongoing assignments end on `left_on` (not deleted);
    ones that had not started yet are cancelled (end = start)."""
    ongoing = Assignment.objects.filter(cadre=cadre).filter(Q(end__isnull=True) | Q(end__gt=left_on))
    ids = list(ongoing.values_list("pk", flat=True))
    if not ids:
        return
    ongoing.filter(start__gt=left_on).update(end=F("start"))
    Assignment.objects.filter(pk__in=ids, start__lte=left_on).update(end=left_on)
    audit.record(actor=actor, action="assignment.close_for_leaver", object_type="people.cadre",
                 object_id=str(cadre.pk), province_id=cadre.province_id,
                 after={"left_on": left_on, "ended": ids[:1000], "count": len(ids)})
