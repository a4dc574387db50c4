"""Who sees what: the one place that decides it.

A user sees a unit when one of their active role grants is on that unit or on a unit above it
(grants cover the whole subtree below, through the materialised path). Everything else —
households, agencies, cadres, and every later module's records — is scoped by the path of the
unit it belongs to. Deny by default: a user with no active grant sees nothing, superusers
included. An object outside the scope is answered exactly as a missing one (404), so that its
existence does not leak.

Views and API routes never filter by hand: they start from `units_for`, `filter_by_scope` or
`get_in_scope_or_404` (or `get_visible_or_404`, for records with a visibility rule of their own),
and ask `has_role` before a write.

The response does not tell a forbidden object from a missing one, but the log does: when the
scoped lookup misses (and only then: no extra query when it finds the object), one unscoped
query asks whether the object exists, and if it does, a WARNING on the "gandan.denials" logger
names the user, the request's method, path and route, and the kind and id of the object, so
that someone probing other units' records shows in the logs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core.paths import PATH_SEP, minimal_paths, path_q, path_within
from gandan.core.request_log import request_fields
from gandan.org.models import AdminUnit, AdminUnitQuerySet, UnitMerge
from gandan.people.models import Role, RoleGrant, User

# Whoever asks: a user account, or the anonymous visitor that `request.user` may be (as django-stubs
# types `request.user`); the rules below deny the anonymous one everything.
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser

_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet[Any])
_CACHE_ATTR = "_gandan_scope_cache"
NOT_FOUND = gettext_lazy("Không tìm thấy")
denials = logging.getLogger("gandan.denials")


def _grants(user: AnyUser | None) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user's active grants, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleGrant.objects.active().filter(user_id=user.pk, unit__valid_to__isnull=True)
                      .values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def grants_known(user: AnyUser | None) -> bool:
    """Whether the user's grants are already at hand (no query needed to check a scope)."""
    return user is None or getattr(user, _CACHE_ATTR, None) is not None


def remember_grants(user: AnyUser, grants: list[tuple[str, str]]) -> None:
    """Keep grants read along with something else (fieldwork's write context) for this request: the
    same (role, unit path) pairs, under the same rule (`RoleGrant.objects.active()`), as `_grants`."""
    setattr(user, _CACHE_ATTR, list(grants))


def forget(user: AnyUser) -> None:
    """Drop the cached grants (after a grant changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: AnyUser, roles: Iterable[str] | None = None) -> list[str]:
    wanted = set(roles) if roles is not None else None
    return minimal_paths(path for role, path in _grants(user) if wanted is None or role in wanted)


def units_for(user: AnyUser, roles: Iterable[str] | None = None) -> AdminUnitQuerySet:
    return AdminUnit.objects.filter(path_q(scope_paths(user, roles)))


def filter_by_scope(qs: _QS, user: AnyUser, unit_path_field: str, roles: Iterable[str] | None = None) -> _QS:
    """Restrict any queryset to rows whose unit (reached through `unit_path_field`) is in scope."""
    paths = scope_paths(user, roles)
    if not paths:
        return qs.none()
    return qs.filter(path_q(paths, unit_path_field))


def get_in_scope_or_404(qs: QuerySet[_M], user: AnyUser, unit_path_field: str, **lookup: Any) -> _M:
    """The one object matching `lookup` inside the user's scope; 404 alike for missing and forbidden."""
    return get_visible_or_404(filter_by_scope(qs, user, unit_path_field), user, **lookup)


def get_visible_or_404(visible: QuerySet[_M], user: AnyUser, **lookup: Any) -> _M:
    """The one object matching `lookup` in `visible`, a queryset already narrowed to what `user` may
    see; 404 alike for missing and forbidden, and a logged denial when it exists outside."""
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        if _exists(visible.model, lookup):
            log_denial(user, visible.model, lookup.get("pk", lookup.get("id", lookup)))
        raise Http404(NOT_FOUND) from exc


def _exists(model: type[Model], lookup: dict[str, Any]) -> bool:
    try:
        return model._base_manager.filter(**lookup).exists()
    except (ValueError, TypeError):
        return False


def log_denial(user: AnyUser | None, model: type[Model], object_id: Any) -> None:
    """A WARNING on "gandan.denials": `user` asked for an existing object they may not see."""
    known = user is not None and bool(getattr(user, "is_authenticated", False))
    fields = {"user_id": user.pk if user is not None and known else None,
              "username": user.get_username() if user is not None and known else "-",
              "kind": model._meta.label_lower, "object_id": str(object_id), **request_fields()}
    denials.warning("Denied: %(username)s (user %(user_id)s) asked for %(kind)s %(object_id)s outside their "
                    "scope at %(method)s %(path)s (route %(route)s)", fields, extra=fields)


def covers(user: AnyUser, path: str, roles: Iterable[str] | None = None) -> bool:
    """True when one of the user's grants (of the given roles) is on `path` or above it."""
    return any(path_within(path, p) for p in scope_paths(user, roles))


def has_role(user: AnyUser, roles: Iterable[str], unit: AdminUnit) -> bool:
    return covers(user, unit.path, roles)


def roles_of(user: AnyUser) -> set[str]:
    return {role for role, _path in _grants(user)}


def top_units(user: AnyUser) -> list[AdminUnit]:
    """The highest units the user may see: the roots of their scope, for the home page and tree."""
    paths = scope_paths(user)
    return list(AdminUnit.objects.filter(path__in=paths).select_related("level").order_by("path"))


# -- accounts ---------------------------------------------------------------------------------------
def accounts_administered(actor: AnyUser) -> QuerySet[User]:
    """Accounts an administrator looks after (a set-password link): linked to a cadre of a unit under
    the actor's unit-admin grants, every active grant of theirs inside that scope too, and never the
    actor's own (changed on their own page). Without the grants' condition a commune administrator
    could reset the password of a province committee member employed in the commune, and sign in
    with the province's scope."""
    paths = scope_paths(actor, [Role.UNIT_ADMIN])
    if not paths or actor.pk is None:
        return User.objects.none()
    reaching_outside = (RoleGrant.objects.active().filter(unit__valid_to__isnull=True)
                        .exclude(path_q(paths, "unit__path")).values("user_id"))
    return (User.objects.filter(cadre__isnull=False).filter(path_q(paths, "cadre__unit__path"))
            .exclude(pk__in=reaching_outside).exclude(pk=actor.pk))


# -- imports ----------------------------------------------------------------------------------------
def import_paths(actor: User | None, province: AdminUnit | None = None) -> list[str]:
    """Unit paths an import may write under: the actor's unit-admin grants (bounded by `province`),
    or, for the system (actor=None), the whole of the province it must be given."""
    if actor is None:
        if province is None:
            raise ValueError(_("Nhập bởi hệ thống cần chỉ rõ tỉnh"))
        return [province.path]
    paths = scope_paths(actor, [Role.UNIT_ADMIN])
    if province is not None:
        if covers(actor, province.path, [Role.UNIT_ADMIN]):
            return [province.path]
        paths = [p for p in paths if path_within(p, province.path) and p != province.path]
    return paths


def may_import(user: AnyUser) -> bool:
    return bool(scope_paths(user, [Role.UNIT_ADMIN]))


def paths_or_refuse(actor: User | None, province: AdminUnit | None = None) -> list[str]:
    paths = import_paths(actor, province)
    if not paths:
        raise PermissionDenied(_("Bạn không có quyền quản trị đơn vị để nhập dữ liệu"))
    return paths


# -- merges of units --------------------------------------------------------------------------------
def merge_governor_path(unit: AdminUnit) -> str:
    """The unit whose administrator decides on merging `unit`: the unit above it (a commune's province,
    a village's commune), or a province itself — so merging provinces, or units across provinces, takes
    an administrator of every province involved (a national one)."""
    return unit.path.rsplit(PATH_SEP, 1)[0] if PATH_SEP in unit.path else unit.path


def administers_merge(user: AnyUser, unit: AdminUnit) -> bool:
    """True when the user may schedule or cancel a merge of `unit` (as source or target)."""
    return covers(user, merge_governor_path(unit), [Role.UNIT_ADMIN])


def merges_administered(user: AnyUser) -> QuerySet[UnitMerge]:
    """The merges a unit administrator sees: those whose source or target lies under their units."""
    paths = scope_paths(user, [Role.UNIT_ADMIN])
    if not paths:
        return UnitMerge.objects.none()
    return UnitMerge.objects.filter(path_q(paths, "source__path") | path_q(paths, "target__path"))
