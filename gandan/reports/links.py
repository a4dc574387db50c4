"""Where each figure's rows are: the domain apps' own list pages, with the unit and the period as
filters, so that a number on a dashboard opens the records it counts."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse as django_reverse

from gandan.org.models import AdminUnit
from gandan.reports.measures import OUTPUT_PREFIX
from gandan.reports.periods import Period


@lru_cache(maxsize=32)
def reverse(name: str) -> str:
    """The list page's path, resolved once (a dashboard links hundreds of numbers to a handful of pages)."""
    return django_reverse(name)


def rows_url(measure: str, unit: AdminUnit, period: Period) -> str:
    dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    if measure in ("visits", "field_days", "place_visits"):
        extra = {"kind": "field_day"} if measure == "field_days" else {}
        return f"{reverse('fieldwork-visits')}?{urlencode({'unit': unit.pk, **dates, **extra})}"
    if measure in ("cadres_with_quota", "cadres_meeting_quota"):
        query = {"unit": unit.pk, "month": period.end.strftime("%Y-%m")}
        return f"{reverse('fieldwork-compliance')}?{urlencode(query)}"
    if measure.startswith("concerns_"):
        extra = {"overdue": "1"} if measure == "concerns_overdue" else {}
        query = {"unit": unit.pk, "start": period.start.isoformat(), "end": period.end.isoformat(), **extra}
        return f"{reverse('petitions-list')}?{urlencode(query)}"
    if measure.startswith("tasks_") or measure.startswith("plans"):
        return f"{reverse('plans-team')}?{urlencode({'month': period.end.strftime('%Y-%m')})}"
    if measure in ("events", "cadre_participations", "citizens") or measure.startswith(OUTPUT_PREFIX):
        extra = {"indicator": measure[len(OUTPUT_PREFIX):]} if measure.startswith(OUTPUT_PREFIX) else {}
        return f"{reverse('campaigns-events')}?{urlencode({'unit': unit.pk, **dates, **extra})}"
    if measure == "graded" or measure.startswith("grade_"):  # the month's grades, agency by agency
        return f"{reverse('evaluation-ranking')}?{urlencode({'month': period.end.strftime('%Y-%m')})}"
    if measure == "exemplary_models":
        return f"{reverse('campaigns-models')}?{urlencode({'unit': unit.pk})}"
    return f"{reverse('assignments-home')}?{urlencode({'unit': unit.pk})}"
