"""Who acts at each step, on top of people/scoping.py and plans/access.py (Decision 1240's practice):

- step 1: the cadre themself;
- step 2: the assessor — the cadre's direct manager (fixed on the sheet when the month opens); when the
  sheet has none, or the manager has left, a leader of the cadre's unit who is not the cadre. The task
  points need no step 2 here: each task was already assessed by its own assigner in plans (an
  `Assessment` by the assigner, an objective cause certified by them), and the figures count those;
- step 3 and opening the month: the leadership of the agency's unit (a leader or committee role on it);
- reopening a concluded month: the level above — a leader or committee role on the unit's parent.
"""

from __future__ import annotations

from gandan.evaluation.models import AgencyMonth, Sheet
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Role, User
from gandan.plans.access import LEAD_ROLES, leads


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_self(user: User | None, sheet: Sheet) -> bool:
    return _active(user) and getattr(user, "cadre_id", None) == sheet.cadre_id


def may_assess(user: User | None, sheet: Sheet) -> bool:
    if not _active(user) or getattr(user, "cadre_id", None) == sheet.cadre_id:
        return False
    assessor = sheet.assessor
    if assessor is not None and assessor.left_on is None and User.objects.filter(cadre=assessor,
                                                                                  is_active=True).exists():
        return getattr(user, "cadre_id", None) == assessor.pk
    return leads(user, sheet.cadre)


def leads_unit(user: User | None, unit: AdminUnit) -> bool:
    return _active(user) and scoping.has_role(user, LEAD_ROLES, unit)  # type: ignore[arg-type]  # checked active


def may_conclude(user: User | None, month: AgencyMonth) -> bool:
    return leads_unit(user, month.unit)


def may_reopen(user: User | None, month: AgencyMonth) -> bool:
    parent = month.unit.parent
    return parent is not None and leads_unit(user, parent)


# -- rubrics -----------------------------------------------------------------------------------------
RUBRIC_ROLES = frozenset({Role.UNIT_ADMIN, *LEAD_ROLES})


def national_admin(user: User | None) -> bool:
    """The national default rubrics are the system's: only a superuser (the national administrator) issues
    a new version of them; everyone else reads them."""
    return _active(user) and bool(getattr(user, "is_superuser", False))


def may_edit_rubric(user: User | None, province: AdminUnit | None) -> bool:
    """A province's rubrics (its own and its agencies'): its administrators and leadership; the national
    ones (`province` None): the national administrator."""
    if province is None:
        return national_admin(user)
    return _active(user) and scoping.has_role(user, RUBRIC_ROLES, province)  # type: ignore[arg-type]
