"""Template context: the user's roles, the roots of their scope for the top bar, and what they can do
(`can`, people/capabilities.py), which menus and buttons follow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gandan.people import scoping
from gandan.people.capabilities import capabilities


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope_roots": scoping.top_units(user), "user_roles": sorted(scoping.roles_of(user)),
            "can": capabilities(user)}
