"""Template helpers of the campaign pages: links that keep the filters, and a month's output cell."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.simple_tag
def query(base: dict[str, str], **changes: Any) -> str:
    """The filters of `base` with `changes`, as a query string (for links that drill down)."""
    return urlencode({**base, **{k: str(v) for k, v in changes.items() if v is not None}})


@register.simple_tag
def month_query(base: dict[str, str], month: dt.date) -> str:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    start = max(month.isoformat(), base.get("date_from", ""))
    end = min(last.isoformat(), base.get("date_to") or last.isoformat())
    return urlencode({**base, "date_from": start, "date_to": end})


@register.simple_tag
def output_of(row: Any, key: tuple[str, str]) -> str:
    amount: Decimal | None = row.outputs.get(tuple(key))
    return "" if amount is None else str(floatformat(amount, "-2"))
