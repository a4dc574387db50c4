"""Where a concern goes: who receives it, who is next level up, which department is competent.

- The receiving holder is the nearest unit at or above the place that has a people's committee
  (a concern raised in a village is received by its commune).
- Escalating goes one level up: from a department to the people's committee of its unit, from a
  people's committee to the people's committee of the nearest current unit above, together with the
  cadre who follows the unit being left (assignments.followers_of).
- Transferring goes to the department whose fields of competence include the concern's field, at
  the nearest level up; among equals, the most specialised department (fewest fields) — or to the
  one chosen, which must be a department on the place's ancestor line. A choice that is not (an
  unknown id, another province's agency, one that is not a department) is refused in one sentence
  that names no agency, so that ids cannot be probed for what lies outside the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gandan.assignments.queries import followers_of
from gandan.core.collation import vi_order
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit, Agency, AgencyKind
from gandan.people.models import Cadre

NOT_A_DEPARTMENT = _("Cơ quan nhận phải là sở, ngành có thẩm quyền ở địa bàn của phản ánh; hãy chọn trong danh sách.")


@dataclass(frozen=True)
class Holder:
    unit: AdminUnit
    agency: Agency | None = None
    cadre: Cadre | None = None

    @property
    def name(self) -> str:
        return self.agency.name if self.agency is not None else self.unit.name


def _committees_above(unit: AdminUnit, include_self: bool) -> list[Agency]:
    paths = unit.ancestor_paths()
    if not include_self:
        paths = paths[:-1]
    return list(Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE, unit__path__in=paths,
                                      unit__valid_to__isnull=True)
                .select_related("unit", "unit__level").order_by("-unit__depth", "id"))


def receiving_holder(unit: AdminUnit) -> Holder:
    """The nearest unit at or above `unit` with a people's committee (or the unit itself if none)."""
    committees = _committees_above(unit, include_self=True)
    if committees:
        return Holder(unit=committees[0].unit, agency=committees[0])
    return Holder(unit=unit)


def committee_of(unit: AdminUnit) -> Agency | None:
    return Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE, unit=unit).order_by("id").first()


def next_level_up(unit: AdminUnit, agency: Agency | None) -> Holder | None:
    """The holder one level above (unit, agency); None at the top of the tree."""
    if agency is not None and agency.kind == AgencyKind.DEPARTMENT:
        committee = committee_of(agency.unit)
        if committee is not None:
            return Holder(unit=agency.unit, agency=committee)
        unit = agency.unit
    committees = _committees_above(unit, include_self=False)
    if committees:
        return Holder(unit=committees[0].unit, agency=committees[0])
    parent = (AdminUnit.objects.filter(path__in=unit.ancestor_paths()[:-1], valid_to__isnull=True)
              .select_related("level").order_by("-depth").first())
    return Holder(unit=parent) if parent is not None else None


def follower_of(unit: AdminUnit) -> Cadre | None:
    """The cadre who follows `unit` (primary first)."""
    primary = followers_of(unit, primary_only=True).order_by("id").first()
    return primary or followers_of(unit).order_by("id").first()


def followers(unit: AdminUnit) -> list[Cadre]:
    return list(followers_of(unit))


def competent_departments(unit: AdminUnit, field: str, exclude: Agency | None = None) -> list[Agency]:
    """Departments at or above `unit` competent for `field`, the best first (nearest level, then the
    most specialised). JSON containment is not portable to SQLite, so the few departments on the
    unit's ancestor line are filtered here."""
    rows = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, unit__path__in=unit.ancestor_paths()
                                 ).select_related("unit", "unit__level")
    found = [a for a in rows if field in (a.fields or []) and (exclude is None or a.pk != exclude.pk)]
    return sorted(found, key=lambda a: (-a.unit.depth, len(a.fields or []), a.pk))


def competent_department(unit: AdminUnit, field: str, exclude: Agency | None = None) -> Agency | None:
    found = competent_departments(unit, field, exclude)
    return found[0] if found else None


def chosen_department(agency_id: int | None) -> Agency | None:
    """The agency chosen by id for a transfer, None when none was (the competent one is found then).
    An id of no agency goes on as an agency of no kind, that the service refuses as one it may not take,
    at the same step and in the same words: whether an id exists does not show (trust sweep)."""
    if agency_id is None:
        return None
    return Agency.objects.filter(pk=agency_id).first() or Agency(pk=agency_id, kind="")


def departments_reachable(unit: AdminUnit) -> list[Agency]:
    """Every department a holder at `unit` may transfer to: those on the unit's ancestor line."""
    return list(Agency.objects.filter(kind=AgencyKind.DEPARTMENT, unit__path__in=unit.ancestor_paths())
                .select_related("unit").order_by("-unit__depth", vi_order("name")))


def within(unit: AdminUnit, area: AdminUnit) -> bool:
    return unit.path == area.path or unit.path.startswith(area.path + PATH_SEP)
