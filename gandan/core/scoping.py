"""Who sees what: the one place that decides it.

A user sees a unit when one of their active role grants is on that unit or on a unit above it
(grants cover the whole subtree below, through the materialised path). Everything else —
households, agencies, cadres, and every later module's records — is scoped by the path of the
unit it belongs to. Deny by default: a user with no active grant sees nothing, superusers
included. An object outside the scope is answered exactly as a missing one (404), so that its
existence does not leak.

Views and API routes never filter by hand: they start from `units_for`, `filter_by_scope` or
`get_in_scope_or_404`, and ask `has_role` before a write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gandan.org.models import PATH_SEP, AdminUnit

_CACHE_ATTR = "_gandan_scope_cache"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user's active grants, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from gandan.people.models import RoleGrant

        cached = list(RoleGrant.objects.active().filter(user=user, unit__valid_to__isnull=True)
                      .values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the cached grants (after a grant changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie under another path of the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == p or path.startswith(p + PATH_SEP) for p in result):
            result.append(path)
    return result


def scope_paths(user: Any, roles: Iterable[str] | None = None) -> list[str]:
    wanted = set(roles) if roles is not None else None
    return _minimal(path for role, path in _grants(user) if wanted is None or role in wanted)


def path_q(paths: Iterable[str], field: str = "path") -> Q:
    """Q matching rows whose `field` (a unit path) is one of `paths` or lies below one. Empty → nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEP})
    return q


def units_for(user: Any, roles: Iterable[str] | None = None) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(path_q(scope_paths(user, roles)))


def filter_by_scope(qs: QuerySet, user: Any, unit_path_field: str, roles: Iterable[str] | None = None) -> QuerySet:
    """Restrict any queryset to rows whose unit (reached through `unit_path_field`) is in scope."""
    paths = scope_paths(user, roles)
    if not paths:
        return qs.none()
    return qs.filter(path_q(paths, unit_path_field))


def get_in_scope_or_404(qs: QuerySet, user: Any, unit_path_field: str, **lookup: Any) -> Model:
    """The one object matching `lookup` inside the user's scope; 404 alike for missing and forbidden."""
    try:
        return filter_by_scope(qs, user, unit_path_field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy / Not found") from exc


def covers(user: Any, path: str, roles: Iterable[str] | None = None) -> bool:
    """True when one of the user's grants (of the given roles) is on `path` or above it."""
    return any(path == p or path.startswith(p + PATH_SEP) for p in scope_paths(user, roles))


def has_role(user: Any, roles: Iterable[str], unit: AdminUnit) -> bool:
    return covers(user, unit.path, roles)


def roles_of(user: Any) -> set[str]:
    return {role for role, _path in _grants(user)}


def top_units(user: Any) -> list[AdminUnit]:
    """The highest units the user may see: the roots of their scope, for the home page and tree."""
    paths = scope_paths(user)
    return list(AdminUnit.objects.filter(path__in=paths).select_related("level").order_by("path"))
