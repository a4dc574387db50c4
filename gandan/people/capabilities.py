"""What a user can do, derived from their role grants (scoping.py): the one place that menus and
buttons ask, so that each role is offered only what it can use.

A capability is true when one active grant of the roles that may do it exists somewhere in the
user's scope; the services still decide on each unit (a leader of one commune records meetings
there, not in the next). The role sets below are the ones the domain services check (their
equality is tested in `gandan/home/tests/test_capabilities.py`), named here because `people` sits
below the apps that use them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gandan.core.paths import PATH_SEP
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Role

# field work: visits and meetings (fieldwork.services.RECORD_ROLES)
RECORD_ROLES = frozenset(WRITE_ROLES | {Role.CADRE})
# concerns: who receives and handles them (petitions.access.HANDLER_ROLES)
CONCERN_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.CADRE})
# assignments: who assigns cadres to units (assignments.queries.ASSIGN_ROLES)
ASSIGN_ROLES = frozenset({Role.UNIT_ADMIN, Role.LEADER})
# the province's settings of field work and concerns (fieldwork/petitions SETTINGS_ROLES, EDIT_ROLES)
SETTINGS_ROLES = frozenset({Role.UNIT_ADMIN, Role.COMMITTEE})
# who steers a scope (sees its coverage, compliance, rankings) rather than only their own work
STEER_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.UNIT_ADMIN, Role.VIEWER})

_CACHE_ATTR = "_gandan_capabilities"


@dataclass(frozen=True)
class Capabilities:
    """Booleans for templates: `{% if can.record_visit %}`."""

    has_scope: bool = False
    has_cadre: bool = False
    record_visit: bool = False
    record_meeting: bool = False
    record_concern: bool = False
    handle_department: bool = False
    assign: bool = False
    steer: bool = False
    import_data: bool = False
    manage_accounts: bool = False
    configure_province: bool = False
    lock_months: bool = False
    read_only: bool = False


def _on_province(user: scoping.AnyUser, roles: frozenset[str]) -> bool:
    """A grant of `roles` on a whole province (a root of the tree: its path has no separator)."""
    return any(PATH_SEP not in path for path in scoping.scope_paths(user, roles))


def capabilities(user: scoping.AnyUser | None) -> Capabilities:
    """The user's capabilities (cached on the user object with their grants); none for the anonymous."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Capabilities()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = scoping.roles_of(user)
    has_cadre = getattr(user, "cadre_id", None) is not None
    caps = Capabilities(
        has_scope=bool(roles),
        has_cadre=has_cadre,
        record_visit=has_cadre and bool(roles & RECORD_ROLES),
        record_meeting=bool(roles & RECORD_ROLES),
        record_concern=bool(roles & CONCERN_ROLES),
        handle_department=has_cadre and Role.DEPARTMENT_HANDLER in roles,
        assign=bool(roles & ASSIGN_ROLES),
        steer=bool(roles & STEER_ROLES),
        import_data=Role.UNIT_ADMIN in roles,
        manage_accounts=Role.UNIT_ADMIN in roles,
        configure_province=_on_province(user, SETTINGS_ROLES),
        lock_months=_on_province(user, frozenset({Role.UNIT_ADMIN})),
        read_only=bool(roles) and roles <= {Role.VIEWER},
    )
    setattr(user, _CACHE_ATTR, caps)
    return caps


def forget(user: scoping.AnyUser) -> None:
    """Drop the cached capabilities and grants (after a grant changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    scoping.forget(user)
