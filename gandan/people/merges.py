"""What people does when units merge (the `unit_merged` receiver, connected in apps.py): the merged
unit's cadres and role grants follow it, and every cadre now under the target carries its province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from gandan.core.paths import path_q
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved
from gandan.org.services import MergeError
from gandan.people.models import Cadre, RoleGrant


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    """Cadres employed at the source, or living there, now belong to the target. A grant on the source
    moves to the target — its holder keeps reading the source's history, which lies under the target —
    unless the user already holds that role on the target (then it stays, ended with its unit). Each
    grant changed is named, for the merge's audit event."""
    if source.province_id != target.province_id:
        _refuse_code_clashes(source, target)
    moved: dict[str, Any] = {"cadres": Cadre.objects.filter(unit=source).update(unit=target,
                                                                                 province=target.province_id)}
    Cadre.objects.filter(home_unit=source).update(home_unit=target)
    moved["cadres_rekeyed"] = rekey_moved(Cadre.objects.all(), source=source, target=target,
                                          path_field="unit__path", progress=progress)
    changed, kept = [], []
    for grant in RoleGrant.objects.filter(unit=source).order_by("pk"):
        row = {"grant": grant.pk, "user": grant.user_id, "role": grant.role, "from_unit": source.pk}
        if RoleGrant.objects.filter(user=grant.user_id, role=grant.role, unit=target).exists():
            kept.append(row)
            continue
        grant.unit = target
        grant.save(update_fields=["unit", "updated_at"])
        changed.append({**row, "to_unit": target.pk})
    moved.update(grants=len(changed), grants_changed=changed, grants_left_on_old_unit=kept)
    return moved


def _refuse_code_clashes(source: AdminUnit, target: AdminUnit) -> None:
    """Cadre codes are unique per province: a cadre moving in with a code the target's province already
    uses would stop the merge on the database's constraint; say which codes instead."""
    moving = Cadre.objects.filter(Q(unit=source) | path_q([target.path], "unit__path"),
                                  province_id=source.province_id).values("code")
    clashes = sorted(Cadre.objects.filter(province_id=target.province_id, code__in=moving)
                     .values_list("code", flat=True))
    if clashes:
        raise MergeError(_("Mã cán bộ %(codes)s đã có ở %(province)s; hãy đổi mã trước khi sáp nhập") % {
            "codes": ", ".join(clashes), "province": target.province.name if target.province else target.name})
