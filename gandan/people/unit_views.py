"""HTML pages of the administrative tree: browse, search, open a unit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gandan.org.models import AdminUnit
from gandan.org.queries import scheduled_merge, subtree_counts
from gandan.people import scoping
from gandan.people import unit_queries as queries
from gandan.people.queries import cadres_of_unit


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    context = {"q": text, "roots": scoping.top_units(request.user)}
    if text:
        context["results"] = queries.search_units(request.user, text)
    template = "org/_search_results.html" if request.headers.get("HX-Request") else "org/tree.html"
    return render(request, template, context)


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = queries.unit_get(request.user, pk)
    return render(request, "org/_children.html", {"unit": unit, "children": queries.children_of(request.user, unit)})


def unit_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    """What the unit page shows of the tree: the unit (404 outside the scope), its children, agencies,
    party cells, cadres and, for a village, households. The page itself is composed above (home app),
    where the unit's concerns, visits and coverage are added."""
    user = request.user
    unit = queries.unit_get(user, pk)
    cadre_text = request.GET.get("cq", "").strip()
    cadres = Paginator(cadres_of_unit(user, unit, cadre_text), 50).get_page(request.GET.get("page"))
    households = None
    if unit.level.code == "village":
        households = Paginator(queries.households_of(user, unit), 50).get_page(request.GET.get("hpage"))
    return {
        "unit": unit,
        "crumbs": queries.breadcrumbs(user, unit),
        "children": queries.children_of(user, unit),
        "agencies": queries.agencies_of(user, unit),
        "party_cells": queries.party_cells_of(user, unit),
        "cadres": cadres,
        "cq": cadre_text,
        "households": households,
        "counts": subtree_counts(unit),
        # a current unit was formed of every unit that counts under it; an ended one, of those merged into it
        "predecessors": AdminUnit.objects.filter(**({"heir": unit} if unit.valid_to is None else {"successor": unit}))
        .order_by("valid_to", "name_folded"),
        "scheduled_merge": scheduled_merge(unit),
    }
