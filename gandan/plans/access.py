"""Who may do what with plans and tasks, on top of people/scoping.py (which decides the units).

- A cadre writes their own plan; a leader (role leader or committee over the cadre's unit, not the
  cadre themself) approves or returns it, assigns tasks to the cadre and reassigns them.
- Only the task's assigner assesses it ("ai giao việc thì người đó đánh giá"). When the assigner has
  left (their cadre's `left_on` has come, or their account is closed) the leader above them does:
  the assigner's direct manager, or, when they had none, a leader over the owner's unit.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gandan.people import scoping
from gandan.people.models import Cadre, Role, User
from gandan.plans.models import Task

LEAD_ROLES = frozenset({Role.LEADER, Role.COMMITTEE})


def leads(user: User | None, cadre: Cadre) -> bool:
    """True when `user` leads `cadre`: a leader or committee role over the cadre's unit, not being them."""
    if user is None:
        return True
    return getattr(user, "cadre_id", None) != cadre.pk and scoping.has_role(user, LEAD_ROLES, cadre.unit)


def is_owner(user: User | None, task: Task) -> bool:
    return user is not None and getattr(user, "cadre_id", None) == task.owner_id


def has_left(user: User, on: dt.date | None = None) -> bool:
    """The account is closed, or its cadre has left their agency."""
    on = on or timezone.localdate()
    cadre = user.cadre if user.cadre_id else None
    return not user.is_active or (cadre is not None and cadre.left_on is not None and cadre.left_on <= on)


def may_assess(user: User | None, task: Task, on: dt.date | None = None) -> bool:
    """The assigner, or — once the assigner has left — the leader above them."""
    if user is None:
        return False
    assigner = task.assigner
    if assigner is None or not user.is_active:
        return False
    if not has_left(assigner, on):
        return user.pk == assigner.pk
    if user.pk == assigner.pk:
        return False
    manager_id = assigner.cadre.manager_id if assigner.cadre_id else None  # type: ignore[union-attr]  # cadre_id checked
    if manager_id is not None:
        return getattr(user, "cadre_id", None) == manager_id
    return leads(user, task.owner)


def may_set_weight(user: User | None, task: Task) -> bool:
    """The agreed weight of a task outside the catalogue is the assigner's to set (a leader of the owner's,
    while the task has no assigner yet: a drafted task before the plan's approval)."""
    if user is None or task.catalogue_item_id is not None:
        return False
    if task.assigner_id is not None:
        return task.assigner_id == user.pk
    return leads(user, task.owner)
