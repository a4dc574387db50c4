"""`{{ x|person }}`: the name a page shows for whoever did something — a user, or an event (audit or
concern step) that names its actor — through `User.display_name`: the cadre's full name, the login
name only when the account has no person behind it. The label stored with the event (the login name
at the time, kept in the audit chain) is the fallback when the account is gone."""

from __future__ import annotations

from typing import Any

from django import template

from gandan.people.models import User

register = template.Library()


@register.filter
def person(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, User):
        return value.display_name
    actor = getattr(value, "actor", None)
    if isinstance(actor, User):
        return actor.display_name
    return str(getattr(value, "actor_label", "") or "")
