"""Reads on the rubric versions, from the user's scope: the national defaults are read by everyone
signed in; a province's versions (its own and its agencies') by anyone whose scope is in that province;
where the user may issue a new version (`targets`) is access.may_edit_rubric's."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gandan.core.collation import vi_order
from gandan.core.paths import PATH_SEP
from gandan.evaluation import access
from gandan.evaluation.models import Rubric
from gandan.org.models import AdminUnit, Agency
from gandan.people import scoping
from gandan.people.models import User


def provinces_of(user: User) -> list[AdminUnit]:
    """The provinces the user's scope lies in (a province is the root of its units' paths)."""
    roots = {path.split(PATH_SEP)[0] for path in scoping.scope_paths(user)}
    return list(AdminUnit.objects.filter(path__in=roots, parent__isnull=True).order_by("path"))


def rubrics_visible(user: User) -> QuerySet[Rubric]:
    if not user.is_authenticated or not user.is_active:
        return Rubric.objects.none()
    return Rubric.objects.filter(Q(province__isnull=True) | Q(province__in=provinces_of(user)))


def rubric_list(user: User, kind: str = "") -> list[Rubric]:
    qs = rubrics_visible(user).select_related("province", "agency", "created_by")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("kind", "province__path", "agency__name", "-valid_from", "-id")[:500])


def rubric_get(user: User, pk: int) -> Rubric:
    return scoping.get_visible_or_404(rubrics_visible(user).select_related("province", "agency", "created_by"),
                                      user, pk=pk)


@dataclass(frozen=True)
class Target:
    """Where a new version may go: the national default, a province, or one of its agencies."""

    key: str  # "national", "p<id>" or "a<id>"
    label: str
    province: AdminUnit | None
    agency: Agency | None


def targets(user: User) -> list[Target]:
    found = []
    if access.national_admin(user):
        found.append(Target("national", _("Mặc định toàn quốc"), None, None))
    for province in editable_provinces(user):
        found.append(Target(f"p{province.pk}", province.name, province, None))
        agencies = Agency.objects.filter(Q(province=province) | Q(unit=province)).order_by(vi_order("name"))
        for agency in agencies[:1000]:
            found.append(Target(f"a{agency.pk}", f"{province.name} — {agency.name}", province, agency))
    return found


def target_of(rubric: Rubric) -> str:
    if rubric.agency_id:
        return f"a{rubric.agency_id}"
    return f"p{rubric.province_id}" if rubric.province_id else "national"



def editable_provinces(user: User) -> list[AdminUnit]:
    return [p for p in provinces_of(user) if access.may_edit_rubric(user, p)]


def target_get(user: User, province_id: int | None, agency_id: int | None) -> Target:
    """Where an API caller asks a new version to go: the national default (neither id), a province whose
    rubrics they may issue, or an agency of it; any other province or agency is a 404 like a missing one."""
    editable = editable_provinces(user)
    if agency_id is not None:
        visible = Agency.objects.filter(Q(province__in=editable) | Q(unit__in=editable))
        agency = scoping.get_visible_or_404(visible.select_related("province", "unit"), user, pk=agency_id)
        province = agency.province or agency.unit
        if province_id is not None and province_id != province.pk:
            raise ValidationError({"agency_id": [_("Cơ quan không thuộc tỉnh đã chọn.")]})
        return Target(f"a{agency.pk}", agency.name, province, agency)
    if province_id is not None:
        province = scoping.get_visible_or_404(AdminUnit.objects.filter(pk__in=[p.pk for p in editable]), user,
                                              pk=province_id)
        return Target(f"p{province.pk}", province.name, province, None)
    return Target("national", _("Mặc định toàn quốc"), None, None)
