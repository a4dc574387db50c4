"""The first page of each role (what to do today), the unit page with the unit's own work, and "me":
the cadre's own page. The blocks come from home/blocks.py; these views only pick and compose them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gandan.home import blocks
from gandan.people import scoping, unit_views
from gandan.people.capabilities import capabilities
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role
from gandan.people.tokens import tokens_of
from gandan.petitions import queries as petition_queries

LEADS = {Role.LEADER, Role.UNIT_ADMIN}
OVERSEES = {Role.COMMITTEE, Role.VIEWER}
# another module's page, linked only when its URL exists (no dead link while it is not installed)
PASSWORD_URLS = ("password-change", "password_change")
PLAN_URLS = ("plans-mine", "plans-home", "plans")


def first_url(names: tuple[str, ...]) -> str:
    """The URL of the first of `names` that resolves, or "" when none does."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    roles = scoping.roles_of(user)
    roots = scoping.top_units(user)
    cadre = user.cadre if user.cadre_id else None
    work: list[blocks.Block] = []
    if cadre is not None and Role.CADRE in roles:
        work += [blocks.cadre_week(user, cadre, today), blocks.my_concerns(user),
                 blocks.my_meetings(user, cadre, today)]
    if roles & LEADS:
        if petition_queries.handler_units(user):
            work.append(blocks.awaiting(user))
        work += [blocks.coverage_gaps(roots, today), blocks.cadres_behind(user, today)]
    if capabilities(user).manage_accounts:
        work.append(blocks.administration(user))
    if capabilities(user).handle_department:
        work.append(blocks.department_inbox(user))
    if roles & OVERSEES and roots and not roles & LEADS:
        work += blocks.glance(user, roots[0], today)
    return render(request, "home/home.html", {
        "work": work, "roles": [(r, Role(r).label) for r in sorted(roles)], "cadre": cadre, "roots": roots,
        "today": today,
    })


@login_required
def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The unit page of people/unit_views, with the unit's concerns, visits and coverage above its tree; for
    a unit that has ended (merged), its history up to its last day instead (blocks.unit_history)."""
    context = unit_views.unit_context(request, pk)
    unit, today = context["unit"], timezone.localdate()
    ended = unit.valid_to is not None and unit.valid_to <= today
    context["ended"] = ended
    context["work"] = blocks.unit_history(request.user, unit) if ended else blocks.unit_work(request.user, unit, today)
    return render(request, "home/unit_detail.html", context)


@login_required
def me(request: AuthenticatedRequest) -> HttpResponse:
    """The cadre's own page: visits this month against the quota, my concerns, my password, my keys."""
    user = request.user
    today = timezone.localdate()
    cadre = user.cadre if user.cadre_id else None
    work: list[blocks.Block] = []
    if cadre is not None:
        if capabilities(user).record_visit:
            work.append(blocks.cadre_month(user, cadre, today))
        work.append(blocks.my_concerns(user))
    return render(request, "home/me.html", {
        "cadre": cadre, "work": work, "roles": [(r, Role(r).label) for r in sorted(scoping.roles_of(user))],
        "password_url": first_url(PASSWORD_URLS), "plan_url": first_url(PLAN_URLS),
        "keys": tokens_of(user).filter(revoked_at__isnull=True).count(),
    })
