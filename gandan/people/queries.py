"""Reads on cadres and accounts, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gandan.core import scoping
from gandan.core.text import fold
from gandan.org.models import AdminUnit
from gandan.people.models import Cadre


def cadres_visible(user: Any) -> QuerySet[Cadre]:
    return scoping.filter_by_scope(Cadre.objects.all(), user, "unit__path")


def cadre_get(user: Any, pk: int) -> Cadre:
    return scoping.get_in_scope_or_404(
        Cadre.objects.select_related("agency", "unit", "manager", "party_cell", "home_unit", "province"),
        user, "unit__path", pk=pk)


def cadres_of_unit(user: Any, unit: AdminUnit, text: str = "") -> QuerySet[Cadre]:
    qs = cadres_visible(user).filter(unit=unit).active().select_related("agency")
    if text:
        qs = qs.filter(Q(name_folded__contains=fold(text)) | Q(code=text.strip()))
    return qs.order_by("agency__name", "name_folded")


def search_cadres(user: Any, text: str, limit: int = 50) -> list[Cadre]:
    needle = fold(text)
    if not needle:
        return []
    return list(cadres_visible(user).filter(Q(name_folded__contains=needle) | Q(code=text.strip()))
                .select_related("agency", "unit").order_by("name_folded")[:limit])


def mask_phone(phone: str) -> str:
    """0912 345 678 → 0912•••678: personal numbers are masked for those who need not see them."""
    digits = phone.replace(" ", "")
    return digits if len(digits) < 7 else digits[:4] + "•••" + digits[-3:]
