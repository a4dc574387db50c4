"""Small template helpers for the assignment pages."""

from __future__ import annotations

from typing import Any

from django import template

from gandan.assignments.models import FollowerRole, TargetLevel

register = template.Library()
_LEVELS = dict(TargetLevel.choices)
_ROLES = dict(FollowerRole.choices)


@register.filter
def level_label(code: str) -> str:
    return str(_LEVELS.get(code, code))


@register.filter
def role_label(code: str) -> str:
    return str(_ROLES.get(code, code))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def rate_class(percent: int | None) -> str:
    """Bootstrap colour for a coverage percentage: green from 90 %, amber from 60 %, red below."""
    if percent is None:
        return "secondary"
    return "success" if percent >= 90 else "warning" if percent >= 60 else "danger"
