from __future__ import annotations

import datetime as dt

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation


def render(text: str, **context) -> str:
    return Template("{% load humanize %}" + text).render(Context(context))


def test_vietnamese_numbers_and_dates():
    with translation.override("vi"):
        assert intcomma(207779) == "207.779"
        assert render("{{ d|date }}", d=dt.date(2025, 7, 1)) == "01/07/2025"
        assert render("{{ x }}", x=1234.5) == "1234,5"


def test_english_numbers_keep_dd_mm_yyyy_dates():
    with translation.override("en"):
        assert intcomma(207779) == "207,779"
        assert render("{{ d|date }}", d=dt.date(2025, 7, 1)) == "01/07/2025"


def test_counts_and_quotas_on_the_field_work_pages_are_grouped_by_language():
    from django.template.loader import render_to_string

    measure = {"name": "visits", "done": 1536, "target": 2000, "pct": 76, "met": False, "behind": True}
    for language, done, target in (("vi", "1.536", "2.000"), ("en", "1,536", "2,000")):
        with translation.override(language):
            assert f"{done}/{target}" in render_to_string("fieldwork/_done.html", {"m": measure})
            assert f"<strong>{done}</strong>/{target}" in render_to_string("fieldwork/_measure.html", {"m": measure})
            assert done in render_to_string("fieldwork/_done.html", {"done": 1536})
            tabs = render_to_string("people/_account_tabs.html", {"without_account": 1536, "active": "grants"})
            assert done in tabs
