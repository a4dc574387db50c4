"""HTML pages for cadres."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from gandan.core.collation import vi_order
from gandan.people import queries
from gandan.people.http import AuthenticatedRequest
from gandan.people.unit_queries import breadcrumbs


@login_required
def cadre_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cadre = queries.cadre_get(request.user, pk)
    sees_personal = queries.sees_personal_data(request.user, cadre)
    return render(request, "people/cadre_detail.html", {
        "cadre": cadre,
        "crumbs": [*breadcrumbs(request.user, cadre.unit), cadre.unit],
        "phone": cadre.phone if sees_personal else queries.mask_phone(cadre.phone),
        "sees_personal": sees_personal,
        "reports": queries.cadres_visible(request.user).filter(manager=cadre).active().order_by(vi_order("full_name")),
    })
