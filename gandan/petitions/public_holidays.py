"""Vietnam's public holidays, from the `holidays` package (country VN, Labour Code 2019 art. 112):
New Year, Tết by the lunar calendar, the Hùng Kings' day, 30 April, 1 May, two days of National
Day and, from 2026, Vietnam Culture Day (24 November); the compensatory weekday when a holiday
falls on a weekend; and the official swaps the package knows (a bridge day off, a Saturday worked).

Each year is computed on first use and kept: for a pinned version of the package a year's days
never change. What the package does not know yet (an announcement after its release, a
province's own day) is data: rows of `models.Holiday`, applied on top in config.py.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

COUNTRY = "VN"


def language_for(django_language: str | None) -> str:
    """The package's language for the holidays' names: Vietnamese unless the page is in English."""
    return "en_US" if (django_language or "").startswith("en") else "vi"


@lru_cache(maxsize=128)
def _year(year: int, language: str) -> tuple[tuple[tuple[dt.date, str], ...], frozenset[dt.date]]:
    found = holidays.country_holidays(COUNTRY, years=year, language=language)
    return tuple(sorted(found.items())), frozenset(found.weekend_workdays)


def _computed(years: range) -> range:
    # A swap may reach into the year before (2015's 2 January was worked on 27 December 2014).
    return range(years.start - 1, years.stop + 1)


def days_off(years: range, *, language: str = "vi") -> dict[dt.date, str]:
    """The public holidays of `years`, date → name, weekends included (a holiday on a Sunday is
    listed, and so is its compensatory Monday)."""
    return {day: name for year in _computed(years) for day, name in _year(year, language)[0] if day.year in years}


def weekend_workdays(years: range) -> frozenset[dt.date]:
    """The Saturdays (or Sundays) of `years` worked in exchange for a bridge day off."""
    return frozenset(day for year in _computed(years) for day in _year(year, "vi")[1] if day.year in years)
