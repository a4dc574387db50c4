"""Report periods as text: a month "2026-10", a quarter "2026-Q4", a year "2026", or a custom run of
months "2026-03..2026-05". Pure: each period is the list of months its rollups add up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gandan.core.months import add_months

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_CUSTOM = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_day(first: dt.date) -> dt.date:
    return add_months(first, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, custom
    start: dt.date  # first day of the first month
    months: int

    @property
    def key(self) -> str:
        if self.kind == "month":
            return month_key(self.start)
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{month_key(self.start)}..{month_key(add_months(self.start, self.months - 1))}"

    @property
    def month_keys(self) -> list[str]:
        return [month_key(add_months(self.start, i)) for i in range(self.months)]

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return last_day(add_months(self.start, self.months - 1))

    def previous(self) -> Period:
        """The period of the same length just before (last month, last quarter, last year)."""
        return Period(self.kind, add_months(self.start, -self.months), self.months)

    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.month:02d}/{self.start.year}"
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == "year":
            return str(self.start.year)
        last = add_months(self.start, self.months - 1)
        return f"{self.start.month:02d}/{self.start.year}–{last.month:02d}/{last.year}"


def _month(year: str, month: str) -> dt.date:
    y, m = int(year), int(month)
    if not (2000 <= y <= 2100 and 1 <= m <= 12):
        raise ValueError(f"{year}-{month}")
    return dt.date(y, m, 1)


def parse(text: str) -> Period:
    """The period a text names; ValueError for anything else (a custom run of at most 36 months)."""
    text = (text or "").strip()
    if m := _MONTH.match(text):
        return Period("month", _month(*m.groups()), 1)
    if m := _QUARTER.match(text):
        return Period("quarter", _month(m.group(1), str(3 * int(m.group(2)) - 2)), 3)
    if m := _YEAR.match(text):
        return Period("year", _month(m.group(1), "1"), 12)
    if m := _CUSTOM.match(text):
        start, finish = _month(m.group(1), m.group(2)), _month(m.group(3), m.group(4))
        months = (finish.year - start.year) * 12 + finish.month - start.month + 1
        if not 1 <= months <= 36:
            raise ValueError(text)
        return Period("custom", start, months)
    raise ValueError(text)


def parse_or(text: str | None, today: dt.date) -> Period:
    """The period named, else the month of `today`."""
    try:
        return parse(text or "")
    except ValueError:
        return Period("month", today.replace(day=1), 1)
