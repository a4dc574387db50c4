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
