"""Reads on cadres and accounts, always starting from the user's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gandan.core.collation import vi_order
from gandan.core.text import fold
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, CadreQuerySet, Role, User
from gandan.people.scoping import AnyUser


def cadres_visible(user: AnyUser) -> CadreQuerySet:
    return scoping.filter_by_scope(Cadre.objects.all(), user, "unit__path")


def cadre_get(user: User, pk: int) -> Cadre:
    return scoping.get_in_scope_or_404(
        Cadre.objects.select_related("agency", "unit", "manager", "party_cell", "home_unit", "province"),
        user, "unit__path", pk=pk)


def matching(qs: CadreQuerySet, text: str) -> CadreQuerySet:
    """Cadres whose name contains `text` (diacritics optional) or whose staff code is `text`."""
    if not text.strip():
        return qs
    return qs.filter(Q(name_folded__contains=fold(text)) | Q(code=text.strip()))


def cadres_of_unit(user: AnyUser, unit: AdminUnit, text: str = "") -> QuerySet[Cadre]:
    qs = matching(cadres_visible(user).filter(unit=unit).active(), text).select_related("agency")
    return qs.order_by(vi_order("agency__name"), vi_order("full_name"), "id")  # id: pages never overlap on equal names


def search_cadres(user: User, text: str) -> QuerySet[Cadre]:
    """Current cadres in the whole scope matching `text`, by name."""
    return (matching(cadres_visible(user).active(), text).select_related("agency", "unit")
            .order_by(vi_order("full_name"), "id"))


def sees_personal_data(user: User, cadre: Cadre) -> bool:
    """The cadre themself, and those who write over the cadre's unit, see personal data (DESIGN §6)."""
    return getattr(user, "cadre_id", None) == cadre.pk or scoping.has_role(user, WRITE_ROLES, cadre.unit)


def mask_phone(phone: str) -> str:
    """0912 345 678 → 0912•••678: personal numbers are masked for those who need not see them."""
    digits = phone.replace(" ", "")
    return digits if len(digits) < 7 else digits[:4] + "•••" + digits[-3:]


def cadres_administered(user: AnyUser) -> CadreQuerySet:
    """Cadres of the units the user administers (unit-admin grants), whatever their state."""
    return scoping.filter_by_scope(Cadre.objects.all(), user, "unit__path", [Role.UNIT_ADMIN])


def cadres_without_account(user: AnyUser, text: str = "") -> QuerySet[Cadre]:
    """Current cadres of the units the user administers who have no account yet, by unit and name."""
    qs = matching(cadres_administered(user).active().filter(user__isnull=True), text)
    return qs.select_related("agency", "unit").order_by("unit__path", "agency__name", "name_folded", "id")
