"""Small template helpers for the assignment pages."""

from __future__ import annotations

from typing import Any

from django import template

from gandan.assignments.models import FollowerRole, TargetLevel

CADRE_OPTIONS = "assignments/_cadre_options.html"

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


@register.simple_tag(takes_context=True)
def cadre_options(context: template.Context, groups: list[tuple[str, list[tuple[int, str]]]],
                  selected: int | None) -> str:
    """A proposal row's <option>s by agency, drawn by _cadre_options.html. A page holds up to 150 rows of
    dozens of cadres, and most rows offer the same cadres with one of a few picks: each (choices, pick)
    is drawn once per page and reused."""
    drawn: dict[tuple[int, int | None], str] = context.render_context.setdefault(  # type: ignore[assignment]  # our own entry
        CADRE_OPTIONS, {})  # type: ignore[arg-type]  # render_context holds any value
    key = (id(groups), selected)
    if key not in drawn:
        assert context.template is not None  # a tag renders inside a template
        options = context.template.engine.get_template(CADRE_OPTIONS)
        drawn[key] = options.render(template.Context({"groups": groups, "selected": selected},
                                                     autoescape=context.autoescape))
    return drawn[key]
