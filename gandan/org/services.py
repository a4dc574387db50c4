"""Writes on the administrative tree: create, load the official list, merge. Each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.paths import PATH_SEP
from gandan.core.text import fold
from gandan.org.models import AdminUnit, Agency, Household, PartyCell, UnitLevel
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
    pass


def unit_merge(*, actor: Actor, sources: list[AdminUnit], target: AdminUnit, effective: dt.date) -> AdminUnit:
    """Merge `sources` into `target` on `effective`.

    Children (with their whole subtrees), households, agencies and party cells move to the target;
    the apps above move their own records on the `unit_merged` signal (org/signals.py). Each source
    stays as a dated predecessor (valid_to = effective, successor = target), so records made under
    it remain reachable and add up under the target.
    """
    if not sources:
        raise MergeError(_("Chưa chọn đơn vị để sáp nhập"))
    with transaction.atomic():
        target = AdminUnit.objects.select_for_update().get(pk=target.pk)
        for source in sources:
            source = AdminUnit.objects.select_for_update().get(pk=source.pk)
            if source.pk == target.pk:
                raise MergeError(_("Không thể sáp nhập một đơn vị vào chính nó"))
            names = {"source": source.name, "target": target.name}
            if source.level_id != target.level_id:
                raise MergeError(_("%(source)s và %(target)s khác cấp") % names)
            if target.path.startswith(source.path + PATH_SEP):
                raise MergeError(_("%(target)s nằm trong %(source)s") % names)
            if source.valid_to is not None:
                raise MergeError(_("%(unit)s đã không còn hiệu lực") % {"unit": source.name})
            before = audit.snapshot(source)
            moved = _move_contents(source, target)
            for _receiver, counts in unit_merged.send(AdminUnit, source=source, target=target,
                                                      effective=effective, actor=actor):
                moved.update(counts or {})  # type: ignore[arg-type]  # receivers return their counts
            source.valid_to = effective
            source.successor = target
            source.save(update_fields=["valid_to", "successor", "updated_at"])
            audit.record(actor=actor, action="unit.merge", obj=source, before=before,
                         after={**audit.snapshot(source), "moved": moved, "target": target.pk})
    return target


def _move_contents(source: AdminUnit, target: AdminUnit) -> dict[str, int]:
    moved: dict[str, int] = {}
    children = list(source.children.all())
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
        AdminUnit.objects.filter(path__startswith=target.path + PATH_SEP).update(province=target.province_id)
    moved["households"] = Household.objects.filter(village=source).update(village=target,
                                                                           province=target.province_id)
    if source.province_id != target.province_id:
        Household.objects.filter(village__path__startswith=target.path + PATH_SEP).update(
            province=target.province_id)
    moved["agencies"] = Agency.objects.filter(unit=source).update(unit=target, province=target.province_id)
    moved["party_cells"] = PartyCell.objects.filter(unit=source).update(unit=target, province=target.province_id)
    return moved
