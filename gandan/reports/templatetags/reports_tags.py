"""`{{ f|shown }}`: a dashboard figure as text, a rate with one decimal and "%", a count as the locale
writes it, "—" for a rate with nothing to count. `{{ f|shown:"previous" }}` for the period before."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def shown(figure: dict[str, Any], which: str = "current") -> str:
    value = figure.get(which)
    if value is None:
        return "—"
    if figure.get("percent"):
        return f"{floatformat(value, '-1g')}%"
    return floatformat(value, "-2g")
