"""Writes on accounts, role grants and cadres: atomic, audited, scoped to the actor's grants."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.paths import path_within
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Cadre, Role, RoleGrant, User
from gandan.people.signals import cadre_left
from gandan.people.usernames import is_valid_username


def _require_admin(actor: User | None, unit: AdminUnit) -> None:
    """System calls (actor None: CLI, jobs) may act anywhere; people need unit_admin over the unit."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, unit):
        raise PermissionDenied(_("Bạn không quản trị đơn vị này"))


def user_create(*, actor: User | None, username: str, password: str, cadre: Cadre | None = None,
                full_name: str = "") -> User:
    if cadre is not None:
        _require_admin(actor, cadre.unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập đã có")})
    if cadre is not None and User.objects.filter(cadre=cadre).exists():
        raise ValidationError({"cadre": _("Cán bộ này đã có tài khoản")})
    with transaction.atomic():
        user = User(username=username, cadre=cadre, first_name=full_name or (cadre.full_name if cadre else ""))
        user.set_password(password)
        user.save()
        audit.record(actor=actor, action="user.create", obj=user,
                     after=audit.snapshot(user, ["username", "cadre_id", "first_name", "is_active"]),
                     province_id=cadre.province_id if cadre else None)
    return user


# Characters of a generated password: no 0/O, 1/l/I, which a cadre copying it from a screen confuses.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generated_password(user: User | None = None) -> str:
    """A random password of three groups of four ("k7Qp-2mRa-9tWx", about 71 bits) that passes the
    validators: an administrator hands it over once, and the user must replace it at first login."""
    while True:
        password = "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


def account_create(*, actor: User | None, cadre: Cadre, username: str) -> tuple[User, str]:
    """An account for a current cadre of the administrator's units, with a generated password shown
    this once (the caller shows it; it is stored only hashed) and to be changed at first login."""
    _require_admin(actor, cadre.unit)
    username = username.strip().lower()
    if cadre.left_on is not None:
        raise ValidationError({"cadre": _("Cán bộ này đã nghỉ; không tạo tài khoản cho người đã nghỉ.")})
    if User.objects.filter(cadre=cadre).exists():
        raise ValidationError({"cadre": _("Cán bộ này đã có tài khoản.")})
    if not is_valid_username(username):
        raise ValidationError({"username": _(
            "Tên đăng nhập gồm 3 đến 40 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, "
            "bắt đầu bằng chữ cái hoặc chữ số.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập “%(u)s” đã có người dùng; hãy chọn tên khác.")
                               % {"u": username}})
    with transaction.atomic():
        user = User(username=username, cadre=cadre, first_name=cadre.full_name, email=cadre.email,
                    must_change_password=True)
        password = generated_password(user)
        user.set_password(password)
        user.save()
        audit.record(actor=actor, action="user.create", obj=user,
                     after=audit.snapshot(user, ["username", "cadre_id", "first_name", "is_active",
                                                 "must_change_password"]),
                     province_id=cadre.province_id)
    return user, password


def _require_account_admin(actor: User, user: User) -> None:
    if not scoping.accounts_administered(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("Bạn không quản trị tài khoản này."))


def password_reset_link(*, actor: User, user: User) -> tuple[str, str]:
    """(uidb64, token) of a set-password link for `user`, to be shown once to the administrator.

    Django's PasswordResetTokenGenerator: an HMAC of the account's current password hash, last login
    and the time, so nothing is stored (nothing to steal at rest); the link stops working once a
    password is set or the user signs in, and after settings.PASSWORD_RESET_TIMEOUT."""
    _require_account_admin(actor, user)
    with transaction.atomic():
        audit.record(actor=actor, action="user.password_reset_link", obj=user,
                     after={"expires_at": timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)},
                     province_id=user.cadre.province_id if user.cadre else None)
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def password_set(*, actor: User | None, user: User, password: str, how: str) -> User:
    """The user's new password, chosen by themself (`how`: "change" on their page, "reset link"):
    the must-change flag drops. The password is validated by the caller's form; it is never audited."""
    with transaction.atomic():
        before = audit.snapshot(user, ["must_change_password"])
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=actor, action="user.password_set", obj=user, before=before,
                     after={**audit.snapshot(user, ["must_change_password"]), "how": how},
                     province_id=user.cadre.province_id if user.cadre else None)
    return user


def cross_unit(user: User, unit: AdminUnit) -> bool:
    """True when the account is not a cadre of an agency on the unit's line: its cadre works neither in
    the unit (or below it) nor in a unit above it (a commune cadre over one of its villages; a province
    department over its communes) — or the account is linked to no current cadre at all."""
    cadre = user.cadre
    if cadre is None or cadre.left_on is not None:
        return True
    return not (path_within(cadre.unit.path, unit.path) or path_within(unit.path, cadre.unit.path))


def grant_add(*, actor: User | None, user: User, role: str, unit: AdminUnit, valid_from: dt.date | None = None,
              valid_to: dt.date | None = None, cross_unit_reason: str = "") -> RoleGrant:
    """Give `user` the role over `unit`. A person granting it to an account that is not a cadre of the
    unit's agencies (`cross_unit`) must confirm with a reason, kept on the grant and in the audit; the
    system (CLI, actor None) sets up first accounts and needs none."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    _require_admin(actor, unit)
    reason = cross_unit_reason.strip()
    across = cross_unit(user, unit)
    if actor is not None and across and not reason:
        raise ValidationError(_(
            "Tài khoản %(u)s không phải cán bộ của cơ quan thuộc %(unit)s. Nếu vẫn cấp quyền, hãy xác nhận "
            "và ghi lý do.") % {"u": user.username, "unit": unit.name}, code="cross_unit")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"valid_from": valid_from, "valid_to": valid_to,
                                                       "cross_unit_reason": reason if across else ""})
        if not created:
            before = audit.snapshot(grant, ["valid_from", "valid_to", "cross_unit_reason"])
            grant.valid_from, grant.valid_to = valid_from, valid_to
            grant.cross_unit_reason = reason if across else ""
            grant.save(update_fields=["valid_from", "valid_to", "cross_unit_reason", "updated_at"])
        else:
            before = None
        audit.record(actor=actor, action="grant.add", obj=grant, before=before,
                     after=audit.snapshot(grant, ["user_id", "role", "unit_id", "valid_from", "valid_to",
                                                  "cross_unit_reason"]),
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
