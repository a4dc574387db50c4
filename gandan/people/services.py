"""Writes on accounts, role grants and cadres: atomic, audited, scoped to the actor's grants."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gandan.core import audit
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Cadre, Role, RoleGrant, User
from gandan.people.signals import cadre_left


def _require_admin(actor: User | None, unit: AdminUnit) -> None:
    """System calls (actor None: CLI, jobs) may act anywhere; people need unit_admin over the unit."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, unit):
        raise PermissionDenied("Bạn không quản trị đơn vị này / you do not administer this unit")


def user_create(*, actor: User | None, username: str, password: str, cadre: Cadre | None = None,
                full_name: str = "") -> User:
    if cadre is not None:
        _require_admin(actor, cadre.unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Tên đăng nhập đã có / this username is taken"})
    if cadre is not None and User.objects.filter(cadre=cadre).exists():
        raise ValidationError({"cadre": "Cán bộ này đã có tài khoản / this cadre already has an account"})
    with transaction.atomic():
        user = User(username=username, cadre=cadre, first_name=full_name or (cadre.full_name if cadre else ""))
        user.set_password(password)
        user.save()
        audit.record(actor=actor, action="user.create", obj=user,
                     after=audit.snapshot(user, ["username", "cadre_id", "first_name", "is_active"]),
                     province_id=cadre.province_id if cadre else None)
    return user


def grant_add(*, actor: User | None, user: User, role: str, unit: AdminUnit, valid_from: dt.date | None = None,
              valid_to: dt.date | None = None) -> RoleGrant:
    if role not in Role.values:
        raise ValidationError({"role": f"Vai trò không hợp lệ / unknown role: {role}"})
    _require_admin(actor, unit)
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"valid_from": valid_from, "valid_to": valid_to})
        if not created:
            before = audit.snapshot(grant, ["valid_from", "valid_to"])
            grant.valid_from, grant.valid_to = valid_from, valid_to
            grant.save(update_fields=["valid_from", "valid_to", "updated_at"])
        else:
            before = None
        audit.record(actor=actor, action="grant.add", obj=grant, before=before,
                     after=audit.snapshot(grant, ["user_id", "role", "unit_id", "valid_from", "valid_to"]),
                     province_id=unit.province_id)
    scoping.forget(user)
    return grant


def grant_end(*, actor: User | None, grant: RoleGrant, on: dt.date) -> RoleGrant:
    """End a grant from `on` (kept for history, not deleted)."""
    _require_admin(actor, grant.unit)
    with transaction.atomic():
        before = audit.snapshot(grant, ["valid_to"])
        grant.valid_to = on
        grant.save(update_fields=["valid_to", "updated_at"])
        audit.record(actor=actor, action="grant.end", obj=grant, before=before,
                     after=audit.snapshot(grant, ["valid_to"]), province_id=grant.unit.province_id)
    scoping.forget(grant.user)
    return grant


def cadre_leave(*, actor: User | None, cadre: Cadre, on: dt.date) -> Cadre:
    """A cadre leaves their agency on `on`: their grants end and the apps above close their work
    (the `cadre_left` signal, people/signals.py)."""
    _require_admin(actor, cadre.unit)
    with transaction.atomic():
        before = audit.snapshot(cadre, ["left_on"])
        cadre.left_on = on
        cadre.save(update_fields=["left_on", "updated_at"])
        audit.record(actor=actor, action="cadre.leave", obj=cadre, before=before,
                     after=audit.snapshot(cadre, ["left_on"]))
        user = User.objects.filter(cadre=cadre).first()
        if user is not None:
            for grant in RoleGrant.objects.active(on).filter(user=user):
                grant_end(actor=None, grant=grant, on=on)
        cadre_left.send(Cadre, cadre=cadre, left_on=on, actor=actor)
    return cadre


# -- receivers ------------------------------------------------------------------------------------
def move_on_merge(sender: object, *, source: AdminUnit, target: AdminUnit, **_: object) -> dict[str, int]:
    """`unit_merged` receiver: the merged unit's cadres and role grants move to the target (a grant the
    user already holds on the target is left on the old unit, where it no longer reaches anything new)."""
    moved = {"cadres": Cadre.objects.filter(unit=source).update(unit=target, province=target.province_id),
             "grants": 0}
    for grant in RoleGrant.objects.filter(unit=source):
        if not RoleGrant.objects.filter(user=grant.user_id, role=grant.role, unit=target).exists():
            grant.unit = target
            grant.save(update_fields=["unit", "updated_at"])
            moved["grants"] += 1
    return moved
