"""Reads on assignments. The first three are the contract other apps call (fieldwork, petitions):
they answer for a cadre or a unit, not for a user, and are not scoped. Everything a user asks for
starts from the user's scope (`gandan.people.scoping`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gandan.assignments import rules as R
from gandan.assignments.models import Assignment, AssignmentQuerySet, AssignmentRule, FollowerRole
from gandan.core.collation import vi_order
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household
from gandan.people import scoping
from gandan.people.models import Cadre, Role, User

ASSIGN_ROLES = frozenset({Role.UNIT_ADMIN, Role.LEADER})


# -- contract for other apps ---------------------------------------------------------------------
def followed_units(cadre: Cadre, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Units (any level) the cadre follows, as primary or supporting, on `on` (default today)."""
    ids = Assignment.objects.active(on).filter(cadre=cadre, unit__isnull=False).values("unit_id")
    return AdminUnit.objects.filter(pk__in=ids)


def followed_households(cadre: Cadre, on: dt.date | None = None) -> QuerySet[Household]:
    """Households the cadre follows directly on `on` (default today)."""
    ids = Assignment.objects.active(on).filter(cadre=cadre, household__isnull=False).values("household_id")
    return Household.objects.filter(pk__in=ids)


def followers_of(unit: AdminUnit, on: dt.date | None = None, primary_only: bool = False) -> QuerySet[Cadre]:
    """Cadres actively following exactly this unit (not its children) on `on` (default today)."""
    rows = Assignment.objects.active(on).filter(unit=unit)
    if primary_only:
        rows = rows.primary()
    return Cadre.objects.filter(pk__in=rows.values("cadre_id"))


# -- scoped reads ---------------------------------------------------------------------------------
def assignments_visible(user: User) -> AssignmentQuerySet:
    return scoping.filter_by_scope(Assignment.objects.all(), user, "area__path")


def assignment_get(user: User, pk: int) -> Assignment:
    return scoping.get_in_scope_or_404(
        Assignment.objects.select_related("cadre", "cadre__agency", "unit", "unit__level", "household",
                                          "area", "province"), user, "area__path", pk=pk)


def assignments_in(user: User, unit: AdminUnit | None = None, *, cadre: Cadre | None = None,
                   role: str = "", state: str = "active", on: dt.date | None = None) -> QuerySet[Assignment]:
    """Assignments in scope, optionally under a unit / of a cadre / of a role; state active|ended|all."""
    rows = assignments_visible(user)
    if unit is not None:
        rows = rows.filter(Q(area=unit) | Q(area__path__startswith=unit.path + "."))
    if cadre is not None:
        rows = rows.filter(cadre=cadre)
    if role in FollowerRole.values:
        rows = rows.filter(role=role)
    on = on or timezone.localdate()
    if state == "active":
        rows = rows.active(on)
    elif state == "ended":
        rows = rows.filter(end__isnull=False, end__lte=on)
    return rows.select_related("cadre", "cadre__agency", "unit", "unit__level", "unit__parent", "household", "area")


def province_rules(province: AdminUnit) -> tuple[tuple[R.RuleSpec, ...], bool]:
    """The province's rule set and whether it is the two-tier default (the province has none yet)."""
    rows = [R.RuleSpec(r.agency_level, r.target_level, r.primary_allowed, r.supporting_allowed, r.load_cap)
            for r in AssignmentRule.objects.filter(province=province)]
    return (tuple(rows), False) if rows else (R.DEFAULT_RULES, True)


def may_assign(user: User, unit: AdminUnit) -> bool:
    """unit_admin or leader over the unit where the target lies."""
    return scoping.has_role(user, ASSIGN_ROLES, unit)


def may_assign_anywhere(user: User) -> bool:
    return bool(scoping.scope_paths(user, ASSIGN_ROLES))


def assignable_cadres(user: User, unit: AdminUnit | None = None) -> QuerySet[Cadre]:
    """Current cadres the user may assign (under their unit_admin/leader grants), optionally those
    whose agency lies on the path to `unit` (the only ones who may follow something under it)."""
    rows = scoping.filter_by_scope(Cadre.objects.active(), user, "unit__path", ASSIGN_ROLES)
    if unit is not None:
        rows = rows.filter(unit__path__in=unit.ancestor_paths())
    return rows.select_related("agency", "unit", "unit__level").order_by("unit__depth", vi_order("full_name"), "id")


def _office_phone_of(unit_field: str) -> Subquery:
    """The office phone of the people's committee of a unit (reached through `unit_field`)."""
    return Subquery(Agency.objects.filter(unit=OuterRef(unit_field), kind=AgencyKind.PEOPLES_COMMITTEE)
                    .exclude(phone="").order_by("id").values("phone")[:1])


def my_followed(cadre: Cadre, on: dt.date | None = None) -> tuple[list[Assignment], list[Assignment]]:
    """The cadre's active assignments on units and on households, with their contact.

    A unit's contact is the office phone of its people's committee, or of its parent's (villages
    have none of their own); a household's is its head and phone (the follower may see it)."""
    rows = (Assignment.objects.active(on).filter(cadre=cadre)
            .select_related("unit", "unit__level", "unit__parent", "household", "household__village", "area")
            .annotate(contact_phone=Coalesce(_office_phone_of("unit_id"), _office_phone_of("unit__parent_id"),
                                             _office_phone_of("household__village__parent_id")))
            .order_by("role", "area__path", "household__code"))
    units = [a for a in rows if a.unit_id]
    households = [a for a in rows if a.household_id]
    return units, households
