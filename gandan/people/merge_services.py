"""Merges of units asked for by a person (the merge pages): the scope check of people/scoping.py, then
the one merge service of the tree (org.services). A unit the actor does not administer is refused as a
missing one, and the denial is logged; the rules of the merge itself (same level, not ended, not already
scheduled…) are org's, each naming the field it is about."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gandan.org import services as org_services
from gandan.org.models import AdminUnit, UnitMerge
from gandan.org.services import MergeError
from gandan.people import scoping
from gandan.people.models import User


def _require(actor: User, unit: AdminUnit, field: str) -> None:
    if not scoping.administers_merge(actor, unit):
        scoping.log_denial(actor, AdminUnit, unit.pk)
        raise MergeError(_("Không tìm thấy đơn vị"), field)


def merge_schedule(*, actor: User, sources: list[AdminUnit], target: AdminUnit, effective: dt.date) -> AdminUnit:
    """Merge `sources` into `target` on `effective` (at once when that day has come, otherwise scheduled),
    when the actor administers each of them (scoping.administers_merge)."""
    for source in sources:
        _require(actor, source, "sources")
    _require(actor, target, "target")
    return org_services.unit_merge(actor=actor, sources=sources, target=target, effective=effective)


def merge_cancel(*, actor: User, merge: UnitMerge, reason: str) -> UnitMerge:
    """Cancel a scheduled merge the actor administers, with a reason (required)."""
    if not reason.strip():
        raise MergeError(_("Hãy ghi lý do hủy lịch sáp nhập"), "reason")
    _require(actor, merge.source, "merge")
    return org_services.merge_cancel(actor=actor, merge=merge, reason=reason)
