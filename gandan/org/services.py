"""Writes on the administrative tree: create, load the official list, merge. Each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.paths import PATH_SEP
from gandan.core.text import fold
from gandan.org.models import (
    AdminUnit,
    Agency,
    FormerPlace,
    Household,
    MergeStatus,
    PartyCell,
    UnitLevel,
    UnitMerge,
)
from gandan.org.rekey import rekey_moved
from gandan.org.signals import unit_merged

if TYPE_CHECKING:
    from gandan.core.audit import Actor

DEFAULT_LEVELS = [
    ("province", 0, "Tỉnh, thành phố", "Province"),
    ("district", 1, "Huyện, quận, thị xã (trước 1/7/2025)", "District (before 1 July 2025)"),
    ("commune", 2, "Xã, phường, đặc khu", "Commune"),
    ("village", 3, "Thôn, bản, ấp, tổ dân phố", "Village / residential group"),
]
REFORM_DATE = dt.date(2025, 7, 1)


def levels_ensure() -> dict[str, UnitLevel]:
    """The default levels exist (idempotent); returns them by code."""
    for code, rank, vi, en in DEFAULT_LEVELS:
        UnitLevel.objects.get_or_create(code=code, defaults={"rank": rank, "name_vi": vi, "name_en": en})
    return {lvl.code: lvl for lvl in UnitLevel.objects.all()}


def _path_for(parent: AdminUnit | None, code: str) -> str:
    segment = code.replace(PATH_SEP, "-")
    return segment if parent is None else parent.path + PATH_SEP + segment


def unit_create(*, actor: Actor, level: UnitLevel, code: str, name: str, parent: AdminUnit | None = None,
                division_type: str = "", valid_from: dt.date | None = None) -> AdminUnit:
    with transaction.atomic():
        unit = AdminUnit(code=code, name=name, name_folded=fold(name), division_type=division_type, level=level,
                         parent=parent, path=_path_for(parent, code), depth=0 if parent is None else parent.depth + 1,
                         valid_from=valid_from)
        unit.province = parent.province if parent is not None else None
        unit.save()
        if parent is None:
            AdminUnit.objects.filter(pk=unit.pk).update(province=unit)
            unit.province = unit
        audit.record(actor=actor, action="unit.create", obj=unit, after=audit.snapshot(unit))
    return unit


def load_official_units(*, actor: Actor = None, progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Load the 34 provinces and 3,321 communes of the 2025 reform from `vietnam-provinces`.

    Idempotent: a unit already present (same level and code) is updated in place only when its
    name or type changed; nothing is duplicated. Returns counts of created/updated/unchanged.
    """
    import json

    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    levels = levels_ensure()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {(u.level_id, u.code): u for u in AdminUnit.objects.filter(
            level__in=[levels["province"], levels["commune"]])}
        for prov in data:
            pcode = f"{prov['code']:02d}"
            province = _upsert(actor, existing, counts, levels["province"], pcode, _province_name(prov),
                               prov["division_type"], None)
            for ward in prov["wards"]:
                _upsert(actor, existing, counts, levels["commune"], f"{ward['code']:05d}", ward["name"],
                        ward["division_type"], province)
            if progress:
                progress(1 + len(prov["wards"]))
    return counts


def _province_name(prov: dict) -> str:
    """The package names provinces bare ("Tuyên Quang"); show them as people write them ("Tỉnh Tuyên Quang")."""
    name = prov["name"]
    if prov["division_type"] == "tỉnh" and not name.startswith("Tỉnh "):
        return f"Tỉnh {name}"
    return name


def _upsert(actor: Actor, existing: dict, counts: dict[str, int], level: UnitLevel, code: str, name: str,
            division_type: str, parent: AdminUnit | None) -> AdminUnit:
    unit = existing.get((level.pk, code))
    if unit is None:
        counts["created"] += 1
        return unit_create(actor=actor, level=level, code=code, name=name, parent=parent,
                           division_type=division_type, valid_from=REFORM_DATE)
    if unit.name != name or unit.division_type != division_type:
        before = audit.snapshot(unit, ["name", "division_type"])
        unit.name, unit.name_folded, unit.division_type = name, fold(name), division_type
        unit.save(update_fields=["name", "name_folded", "division_type", "updated_at"])
        audit.record(actor=actor, action="unit.update", obj=unit, before=before,
                     after=audit.snapshot(unit, ["name", "division_type"]))
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return unit


class MergeError(ValueError):
    """A merge refused, with the part of the request it is about ("sources", "target", "effective" or
    None), so that a form can put the sentence beside that field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


HISTORY_MARK = "~"  # a path segment "~<level>-<code>": a merged unit kept, as history, under its successor
DISTRICT = "district"


def unit_merge(*, actor: Actor, sources: list[AdminUnit], target: AdminUnit, effective: dt.date,
               progress: Callable[[int], object] | None = None) -> AdminUnit:
    """Merge `sources` into `target` on `effective`: at once when that day has come, otherwise scheduled
    (a `UnitMerge` that the daily job `org.tasks` applies on the day; until then the sources stay current).

    Applying it moves children (with their whole subtrees), households, agencies and party cells to the
    target; the apps above move their own records on the `unit_merged` signal (org/signals.py). Each source
    stays as a dated predecessor (valid_to = effective, successor = target) whose path is re-rooted under
    the target's and whose `heir` is the target, so that every prefix filter and every grouping by `heir`
    counts its records — and those of its own predecessors, at any depth — under the target. A province's
    districts end with it: their communes move up, and the districts become the province's predecessors.
    """
    if not sources:
        raise MergeError(_("Chưa chọn đơn vị để sáp nhập"), "sources")
    today = dt.date.today()
    with transaction.atomic():
        target = AdminUnit.objects.select_for_update().select_related("level").get(pk=target.pk)
        locked = [AdminUnit.objects.select_for_update().select_related("level").get(pk=s.pk) for s in sources]
        if len({s.pk for s in locked}) != len(locked):
            raise MergeError(_("Một đơn vị được chọn hai lần"), "sources")
        for source in locked:
            _check(source, target, effective)
        if effective > today:
            for source in locked:
                merge = UnitMerge.objects.create(source=source, target=target, effective=effective,
                                                 requested_by_id=getattr(actor, "pk", None))
                audit.record(actor=actor, action="unit.merge_schedule", obj=source,
                             after={"target": target.pk, "effective": effective, "merge": merge.pk})
            return target
        for source in locked:
            _apply(actor, source, target, effective, progress)
    return target


def district_end(*, actor: Actor, district: AdminUnit, effective: dt.date,
                 progress: Callable[[int], object] | None = None) -> AdminUnit:
    """End a district (abolished on 1 July 2025): its communes move up to its province, its records count
    under the province, and it stays as the province's dated predecessor. Scheduled like a merge."""
    if district.parent is None:
        raise MergeError(_("%(unit)s không có đơn vị cấp trên") % {"unit": district.name})
    return unit_merge(actor=actor, sources=[district], target=district.parent, effective=effective,
                      progress=progress)


def merges_apply_due(*, on: dt.date | None = None, progress: Callable[[int], object] | None = None) -> int:
    """Apply the scheduled merges whose day has come (the daily job); returns how many were applied."""
    on = on or dt.date.today()
    applied = 0
    for merge in UnitMerge.objects.filter(status=MergeStatus.SCHEDULED, effective__lte=on).order_by("effective", "pk"):
        with transaction.atomic():
            merge = UnitMerge.objects.select_for_update().get(pk=merge.pk)
            if merge.status != MergeStatus.SCHEDULED:
                continue
            source = AdminUnit.objects.select_for_update().select_related("level").get(pk=merge.source_id)
            target = AdminUnit.objects.select_for_update().select_related("level").get(pk=merge.target_id)
            _check(source, target, merge.effective, scheduled=merge)
            _apply(merge.requested_by, source, target, merge.effective, progress, merge=merge)
            applied += 1
    return applied


def merge_cancel(*, actor: Actor, merge: UnitMerge, reason: str = "") -> UnitMerge:
    """Cancel a scheduled merge before its day, saying why (kept on the merge and in the audit event)."""
    reason = reason.strip()
    with transaction.atomic():
        merge = UnitMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.status != MergeStatus.SCHEDULED:
            raise MergeError(_("Việc sáp nhập này không còn chờ thực hiện"))
        merge.status, merge.cancel_reason = MergeStatus.CANCELLED, reason[:500]
        merge.cancelled_at, merge.cancelled_by_id = timezone.now(), getattr(actor, "pk", None)
        merge.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at"])
        audit.record(actor=actor, action="unit.merge_cancel", obj=merge.source,
                     after={"target": merge.target_id, "effective": merge.effective, "merge": merge.pk,
                            "reason": merge.cancel_reason})
    return merge


def _check(source: AdminUnit, target: AdminUnit, effective: dt.date, scheduled: UnitMerge | None = None) -> None:
    names = {"source": source.name, "target": target.name}
    if source.pk == target.pk:
        raise MergeError(_("Không thể sáp nhập một đơn vị vào chính nó"), "target")
    if source.valid_to is not None:
        raise MergeError(_("%(unit)s đã không còn hiệu lực") % {"unit": source.name}, "sources")
    if target.valid_to is not None:
        raise MergeError(_("Không thể sáp nhập vào %(target)s: đơn vị này đã không còn hiệu lực") % names, "target")
    ends_into_parent = source.level.code == DISTRICT and source.parent_id == target.pk
    if source.level_id != target.level_id and not ends_into_parent:
        raise MergeError(_("%(source)s và %(target)s khác cấp") % names, "target")
    if target.path.startswith(source.path + PATH_SEP):
        raise MergeError(_("%(target)s nằm trong %(source)s") % names, "target")
    pending = UnitMerge.objects.filter(status=MergeStatus.SCHEDULED)
    if scheduled is None and pending.filter(source=source).exists():
        raise MergeError(_("%(unit)s đã có lịch sáp nhập") % {"unit": source.name}, "sources")
    if pending.filter(target=source, effective__gt=effective).exists():
        raise MergeError(_("%(source)s còn chờ nhận đơn vị khác sáp nhập vào sau ngày đó") % names, "sources")
    ending_first = pending.filter(source=target, effective__lte=effective)
    if scheduled is not None:
        ending_first = ending_first.exclude(pk=scheduled.pk)
    if ending_first.exists():
        raise MergeError(_("Không thể sáp nhập vào %(target)s: đơn vị này sẽ được sáp nhập trước ngày đó") % names,
                         "target")


def _apply(actor: Actor, source: AdminUnit, target: AdminUnit, effective: dt.date,
           progress: Callable[[int], object] | None, merge: UnitMerge | None = None) -> None:
    if source.level.code != DISTRICT:
        for district in source.children.filter(level__code=DISTRICT, valid_to__isnull=True).select_related("level"):
            _apply(actor, district, source, effective, progress)
    before = audit.snapshot(source)
    moved = _move_contents(source, target, effective, progress)
    _retire(source, target, effective)
    for _receiver, counts in unit_merged.send(AdminUnit, source=source, target=target, effective=effective,
                                              actor=actor, progress=progress):
        moved.update(counts or {})  # type: ignore[arg-type]  # receivers return their counts
    if merge is None:
        merge = UnitMerge.objects.create(source=source, target=target, effective=effective,
                                         requested_by_id=getattr(actor, "pk", None))
    merge.status, merge.applied_at, merge.moved = MergeStatus.APPLIED, timezone.now(), _jsonable(moved)
    merge.save(update_fields=["status", "applied_at", "moved", "updated_at"])
    audit.record(actor=actor, action="unit.merge", obj=source, before=before,
                 after={**audit.snapshot(source), "moved": moved, "target": target.pk, "merge": merge.pk})


def _jsonable(moved: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(moved, cls=DjangoJSONEncoder))


def _retire(source: AdminUnit, target: AdminUnit, effective: dt.date) -> None:
    """The source ends: its path (and its own predecessors', below it) is re-rooted under the target's,
    it and its predecessors count under the target's heir, and it points at the target."""
    old = source.path
    new = target.path + PATH_SEP + HISTORY_MARK + source.level.code + "-" + source.code.replace(PATH_SEP, "-")
    shift = target.depth + 1 - source.depth
    AdminUnit.objects.filter(path__startswith=old + PATH_SEP).update(
        path=Concat(Value(new), Substr(F("path"), len(old) + 1)), depth=F("depth") + shift)
    heir = target.heir_id or target.pk
    AdminUnit.objects.filter(heir=source).update(heir=heir)
    source.path, source.depth, source.heir_id = new, target.depth + 1, heir
    source.valid_to, source.successor = effective, target
    source.save(update_fields=["path", "depth", "heir", "valid_to", "successor", "updated_at"])
    if source.province_id != target.province_id:
        AdminUnit.objects.filter(Q(path=target.path) | Q(path__startswith=target.path + PATH_SEP)).exclude(
            province=target.province_id).update(province=target.province_id)


def _remember_places(source: AdminUnit, children: list[AdminUnit], effective: dt.date) -> None:
    """Before the children move on: every unit of their subtrees (their merged predecessors included) lay
    below the source until the merge's day, which the source's own history needs once paths no longer
    say so (models.history_scope_q)."""
    if not children:
        return
    from gandan.core.paths import path_q

    ids = AdminUnit.objects.filter(path_q([c.path for c in children])).values_list("pk", flat=True)
    FormerPlace.objects.bulk_create([FormerPlace(unit_id=pk, former_id=source.pk, until=effective) for pk in ids],
                                    ignore_conflicts=True, batch_size=2000)


def _move_contents(source: AdminUnit, target: AdminUnit, effective: dt.date,
                   progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Move the source's children (those standing at their place below it, not the merged ones kept as
    history elsewhere) and its households, agencies and party cells to the target."""
    moved: dict[str, int] = {}
    children = [c for c in source.children.all()
                if c.heir_id is None and c.path.rsplit(PATH_SEP, 1)[0] == source.path]
    _remember_places(source, children, effective)
    for child in children:
        old_prefix = child.path
        new_prefix = target.path + PATH_SEP + child.path.rsplit(PATH_SEP, 1)[-1]
        if AdminUnit.objects.filter(path=new_prefix).exists():
            raise MergeError(_("Mã %(code)s đã có trong %(target)s") % {"code": child.code, "target": target.name})
        # Rewrite the path of the child's whole subtree in one statement (no recursion).
        AdminUnit.objects.filter(path__startswith=old_prefix + PATH_SEP).update(
            path=Concat(Value(new_prefix), Substr(F("path"), len(old_prefix) + 1)),
            depth=F("depth") - source.depth + target.depth)
        AdminUnit.objects.filter(pk=child.pk).update(path=new_prefix, parent=target, depth=target.depth + 1)
    moved["children"] = len(children)
    if source.province_id != target.province_id:
        AdminUnit.objects.filter(path__startswith=target.path + PATH_SEP).exclude(
            province=target.province_id).update(province=target.province_id)
    moved["households"] = Household.objects.filter(village=source).update(village=target,
                                                                           province=target.province_id)
    if source.province_id != target.province_id:
        moved["households_rekeyed"] = rekey_moved(Household.objects.all(), source=source, target=target,
                                                  path_field="village__path", progress=progress)
    moved["agencies"] = Agency.objects.filter(unit=source).update(unit=target, province=target.province_id)
    moved["party_cells"] = PartyCell.objects.filter(unit=source).update(unit=target, province=target.province_id)
    if source.province_id != target.province_id:
        for model in (Agency, PartyCell):
            rekey_moved(model.objects.all(), source=source, target=target, path_field="unit__path", progress=progress)
    return moved
