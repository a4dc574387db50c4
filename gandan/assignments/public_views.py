"""The public lookup: a citizen, without an account, finds their village and sees who is responsible
for it — name, position, agency and the OFFICE phone only. Personal data (personal phone, birth
date, e-mail, home) is never read here: the query selects the public columns and nothing else.
Rate-limited per client address."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gandan.assignments.models import Assignment
from gandan.core.collation import vi_order
from gandan.core.ratelimit import over_limit
from gandan.core.text import fold
from gandan.org.models import AdminUnit

LOOKUP_LIMIT = 30  # requests per client per window
LOOKUP_WINDOW = 60  # seconds
MAX_RESULTS = 50
PUBLIC_FIELDS = ("role", "unit_id", "cadre__full_name", "cadre__position", "cadre__agency__name", "office_phone")


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if not over_limit(request, group="assignments-lookup", limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW):
        return None
    response = render(request, "assignments/lookup_limited.html", {"window": LOOKUP_WINDOW}, status=429)
    response["Retry-After"] = str(LOOKUP_WINDOW)
    return response


def _villages() -> Any:
    return AdminUnit.objects.current().filter(level__code="village")


@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """Search a village by its name or its commune's name, without diacritics."""
    refused = _too_many(request)
    if refused:
        return refused
    text = request.GET.get("q", "").strip()[:100]
    needle = fold(text)
    results: list[AdminUnit] = []
    if len(needle) >= 2:
        rows = _villages()
        for word in needle.split()[:6]:  # "nam lin quan ba": every word in the village's or the commune's name
            rows = rows.filter(Q(name_folded__contains=word) | Q(parent__name_folded__contains=word))
        found = list(rows.select_related("parent", "province").order_by(
            "province__name_folded", "parent__name_folded", "name_folded")[:MAX_RESULTS])
        results = sorted(found, key=lambda v: needle not in v.name_folded)  # the village's own name first
    return render(request, "assignments/lookup.html", {"q": text, "results": results, "searched": bool(needle),
                                                       "too_short": 0 < len(needle) < 2, "limit": MAX_RESULTS})


@never_cache
def lookup_village(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _too_many(request)
    if refused:
        return refused
    village = _villages().select_related("parent", "province").filter(pk=pk).first()
    if village is None:
        raise Http404(_("Không tìm thấy"))
    units = [village.pk] + ([village.parent_id] if village.parent_id else [])
    rows = (Assignment.objects.active().filter(unit_id__in=units)
            .annotate(office_phone=Coalesce(NullIf("cadre__office_phone", Value("")),
                                            "cadre__agency__phone"))
            .order_by("role", vi_order("cadre__full_name")).values(*PUBLIC_FIELDS))
    followers = [r for r in rows if r["unit_id"] == village.pk]
    commune_followers = [r for r in rows if r["unit_id"] != village.pk]
    return render(request, "assignments/lookup_village.html", {
        "village": village, "followers": followers, "commune_followers": commune_followers})
