"""Template helpers of the plans' screens."""

from __future__ import annotations

from django import template

from gandan.people.models import User
from gandan.plans.work_services import work_log_enabled

register = template.Library()


@register.simple_tag
def work_log_on(user: User) -> bool:
    """The user's agency keeps a daily work log (the menu offers it)."""
    cadre_id = getattr(user, "cadre_id", None)
    return cadre_id is not None and work_log_enabled(user.cadre.agency_id)  # type: ignore[union-attr]  # cadre_id set
