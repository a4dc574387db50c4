"""Status colours and words, the same on every page: overdue red, due soon amber, done green,
escalated purple."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from gandan.petitions import states

register = template.Library()
SOON = dt.timedelta(hours=24)


@register.filter
def status_class(petition: Any) -> str:
    """The badge class of a concern's status, overdue first."""
    now = timezone.now()
    if petition.is_overdue(now):
        return "text-bg-danger"
    status = petition.status
    if status == states.CLOSED:
        return "text-bg-success"
    if status == states.ANSWERED:
        return "text-bg-success bg-opacity-75"
    if status in (states.ESCALATED, states.TRANSFERRED, states.REOPENED):
        return "text-bg-escalated"
    if status in (states.ROUTED_OUT, states.MERGED):
        return "text-bg-secondary"
    if petition.is_open and petition.due_at - now < SOON:
        return "text-bg-warning"
    return "text-bg-primary"


@register.filter
def due_class(petition: Any) -> str:
    """The deadline's text colour: red when past, amber within a day."""
    if not petition.is_open:
        return ""
    now = timezone.now()
    if petition.is_overdue(now):
        return "status-overdue text-danger fw-semibold"
    if petition.due_at - now < SOON:
        return "status-soon text-warning-emphasis"
    return ""


@register.filter
def label_of(mapping: dict, key: Any) -> Any:
    return mapping.get(key, key) if mapping else key


@register.filter
def percent(rate: Any) -> str:
    value = getattr(rate, "percent", None)
    return "—" if value is None else f"{formats.number_format(value, 1)} %"


@register.simple_tag
def count_cell(row: Any, flag: str, css: str = "") -> SafeString:
    """A row's count, linked to the concerns it counts when the viewer can see every one of them
    (a department handler sees its own department's concerns only: another unit's count is shown
    without a link rather than a link to a shorter list)."""
    value = formats.number_format(getattr(row.figures, flag), force_grouping=True)
    href = (getattr(row, "link", None) or {}).get(flag)
    if not href:
        return format_html('<span data-unlinked="{}">{}</span>', flag, value)
    return format_html('<a class="{}" href="{}">{}</a>', css, href, value)
