"""My area: the units and households a cadre follows (assignments), each with their last field visit,
and the concerns the cadre holds, by deadline. The phone keeps this page for use offline
(core/offline.py), so it says when it was made."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from gandan.assignments.queries import my_followed
from gandan.fieldwork.queries import last_visit_by_household, last_visit_by_unit
from gandan.people.http import AuthenticatedRequest
from gandan.petitions.queries import inbox

HELD_SHOWN = 50


@login_required
def my_area(request: AuthenticatedRequest) -> HttpResponse:
    cadre = getattr(request.user, "cadre", None)
    units, households = my_followed(cadre) if cadre is not None else ([], [])
    unit_visits = last_visit_by_unit([a.unit_id for a in units if a.unit_id], cadre=cadre)
    household_visits = last_visit_by_household([a.household_id for a in households if a.household_id], cadre=cadre)
    for a in units:
        a.last_visit = unit_visits.get(a.unit_id or 0)  # type: ignore[attr-defined]  # for the page
    for a in households:
        a.last_visit = household_visits.get(a.household_id or 0)  # type: ignore[attr-defined]  # for the page
    held = inbox(request.user, "mine") if cadre is not None else None
    return render(request, "fieldwork/area.html", {
        "cadre": cadre, "units": units, "households": households,
        "held": list(held[:HELD_SHOWN]) if held is not None else [],
        "held_count": held.count() if held is not None else 0,
    })
