"""The home page: the roots of the user's scope with what lies below them, and their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gandan.org.queries import subtree_counts
from gandan.people import scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roots = scoping.top_units(request.user)
    cards = [{"unit": unit, "counts": subtree_counts(unit)} for unit in roots[:6]]
    return render(request, "people/home.html", {
        "cards": cards,
        "roles": sorted(scoping.roles_of(request.user)),
        "cadre": getattr(request.user, "cadre", None),
    })
