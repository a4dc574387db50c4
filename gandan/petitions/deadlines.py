"""Working-time arithmetic and deadline rules, pure (no ORM, no time zones: naive local times).

A `WorkingCalendar` knows the office hours of a day (07:30–11:30 and 13:30–17:00 by default), the
working weekdays (Monday to Friday), the public holidays and the compensatory working days (a
Saturday worked in exchange for a bridge day) of the years it is given; asked about a day of
another year, it raises `OutsideCalendar` rather than take that year for one without holidays,
and the caller builds it again with more years. On it:

- `add(start, amount)` moves forward (or, for a negative amount, backward) by that much working
  time: 3 working hours from Friday 16:00 is Monday 09:30;
- `between(a, b)` is the working time from a to b (negative when b is before a);
- `add_days(start, n)` is the close of the n-th working day after start's day (n > 0), or the
  opening of the n-th working day before it (n < 0).

Deadline rules say how long a stage may take (accept, resolve) by field, urgency and level, in
working hours or working days; the most specific matching rule wins, a province's own rules beat
the defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

ZERO = dt.timedelta(0)
DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)
DEFAULT_WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday = 0
MAX_DAYS_SCANNED = 366 * 20  # a calendar with no working day at all would never end


class CalendarError(ValueError):
    pass


class OutsideCalendar(CalendarError):
    """A day outside the years whose holidays the calendar was given: give it more years."""

    def __init__(self, day: dt.date, years: range) -> None:
        super().__init__(f"{day:%d/%m/%Y} is outside the calendar's years {years.start}–{years.stop - 1}")
        self.day, self.years = day, years


@dataclass(frozen=True)
class WorkingCalendar:
    periods: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_PERIODS
    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()
    years: range | None = None  # the years the holidays above are of; None: any year (a calendar without holidays)

    def __post_init__(self) -> None:
        if not self.periods:
            raise CalendarError(gettext("Cần ít nhất một khoảng giờ làm việc"))
        previous_end: dt.time | None = None
        for start, end in self.periods:
            if start >= end:
                raise CalendarError(gettext("Giờ bắt đầu %(start)s phải trước giờ kết thúc %(end)s")
                                    % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
            if previous_end is not None and start < previous_end:
                raise CalendarError(gettext("Các khoảng giờ làm việc không được chồng nhau"))
            previous_end = end
        if not self.weekdays and not self.extra_workdays:
            raise CalendarError(gettext("Cần ít nhất một ngày làm việc trong tuần"))

    # -- days ----------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if self.years is not None and day.year not in self.years:
            raise OutsideCalendar(day, self.years)
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    @property
    def hours_per_day(self) -> dt.timedelta:
        return sum((_span(a, b) for a, b in self.periods), ZERO)

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [(dt.datetime.combine(day, a), dt.datetime.combine(day, b)) for a, b in self.periods]

    def is_working_time(self, moment: dt.datetime) -> bool:
        return any(a <= moment < b for a, b in self._intervals(moment.date()))

    # -- time arithmetic ------------------------------------------------------------------------
    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """`start` moved by `amount` of working time (backward when negative). add(s, 0) is s."""
        if amount == ZERO:
            return start
        if amount > ZERO:
            return self._forward(start, amount)
        return self._backward(start, -amount)

    def _forward(self, start: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        day = start.date()
        for _ in range(MAX_DAYS_SCANNED):
            for begin, end in self._intervals(day):
                if start >= end:
                    continue
                lower = max(start, begin)
                available = end - lower
                if remaining <= available:
                    return lower + remaining
                remaining -= available
            day += dt.timedelta(days=1)
        raise CalendarError(gettext("Không tìm thấy ngày làm việc"))

    def _backward(self, start: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        day = start.date()
        for _ in range(MAX_DAYS_SCANNED):
            for begin, end in reversed(self._intervals(day)):
                if start <= begin:
                    continue
                upper = min(start, end)
                available = upper - begin
                if remaining <= available:
                    return upper - remaining
                remaining -= available
            day -= dt.timedelta(days=1)
        raise CalendarError(gettext("Không tìm thấy ngày làm việc"))

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from a to b; negative when b comes before a."""
        if b < a:
            return -self.between(b, a)
        total = ZERO
        day = a.date()
        while day <= b.date():
            for begin, end in self._intervals(day):
                lower, upper = max(begin, a), min(end, b)
                if upper > lower:
                    total += upper - lower
            day += dt.timedelta(days=1)
        return total

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        return self.add(start, dt.timedelta(hours=hours))

    def add_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """n > 0: the close of the n-th working day after start's day (start's day does not count);
        n < 0: the opening of the n-th working day before it; n = 0: start itself."""
        if days == 0:
            return start
        step = dt.timedelta(days=1 if days > 0 else -1)
        day, left = start.date(), abs(days)
        for _ in range(MAX_DAYS_SCANNED + left):
            day += step
            if self.is_working_day(day):
                left -= 1
                if left == 0:
                    periods = self.periods
                    return dt.datetime.combine(day, periods[-1][1] if days > 0 else periods[0][0])
        raise CalendarError(gettext("Không tìm thấy ngày làm việc"))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d <= b (negative count when b is before a)."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + dt.timedelta(days=i)))


def _span(a: dt.time, b: dt.time) -> dt.timedelta:
    return dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)


# -- deadline rules ------------------------------------------------------------------------------
ACCEPT = "accept"     # take the concern up (tiếp nhận)
RESOLVE = "resolve"   # answer it (giải quyết)
STAGES = (ACCEPT, RESOLVE)
HOURS = "hours"
DAYS = "days"


@dataclass(frozen=True)
class Rule:
    """How long `stage` may take: `amount` working hours or days. Blank field/urgency/level match any."""

    stage: str
    amount: int
    unit: str
    field: str = ""
    urgency: str = ""
    level: str = ""
    custom: bool = False  # a province's own rule (beats a default of the same specificity)

    def matches(self, *, stage: str, field: str, urgency: str, level: str) -> bool:
        return (self.stage == stage and self.field in ("", field) and self.urgency in ("", urgency)
                and self.level in ("", level))

    @property
    def specificity(self) -> int:
        return bool(self.field) + bool(self.urgency) + bool(self.level)


# The defaults, stated in the UI: receive within 8 working hours (Hanoi's iHanoi), urgent concerns
# handled within 4 working hours, normal ones within 10 working days, complex ones within 30.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(ACCEPT, 8, HOURS),
    Rule(RESOLVE, 4, HOURS, urgency="urgent"),
    Rule(RESOLVE, 10, DAYS, urgency="normal"),
    Rule(RESOLVE, 30, DAYS, urgency="complex"),
    Rule(RESOLVE, 10, DAYS),
)


def pick_rule(rules: Iterable[Rule], *, stage: str, field: str, urgency: str, level: str) -> Rule:
    """The most specific rule matching; a custom rule beats a default of equal specificity."""
    candidates = [r for r in (*rules, *DEFAULT_RULES) if r.matches(stage=stage, field=field, urgency=urgency,
                                                                   level=level)]
    # max() keeps the first of equal keys: custom rules come first, in the order given.
    return max(candidates, key=lambda r: (r.specificity, r.custom))


def due(calendar: WorkingCalendar, start: dt.datetime, rule: Rule) -> dt.datetime:
    if rule.unit == HOURS:
        return calendar.add_hours(start, rule.amount)
    return calendar.add_days(start, rule.amount)


@dataclass(frozen=True)
class Deadlines:
    accept_by: dt.datetime
    resolve_by: dt.datetime


def deadlines_for(calendar: WorkingCalendar, start: dt.datetime, rules: Sequence[Rule], *, field: str,
                  urgency: str, level: str) -> Deadlines:
    """When the holder must take the concern up and when they must answer it; never accept later than
    the answer is due (an urgent concern due in 4 hours must be taken up within those 4 hours)."""
    keys = {"field": field, "urgency": urgency, "level": level}
    resolve_by = due(calendar, start, pick_rule(rules, stage=RESOLVE, **keys))
    accept_by = due(calendar, start, pick_rule(rules, stage=ACCEPT, **keys))
    return Deadlines(accept_by=min(accept_by, resolve_by), resolve_by=resolve_by)


@dataclass(frozen=True)
class HolidaySpec:
    date: dt.date
    name: str


@dataclass
class CalendarSpec:
    """The national calendar of some years, as corrected nationwide and by a province, before it
    becomes a calendar."""

    periods: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_PERIODS
    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    holidays: set[dt.date] = field(default_factory=set)
    extra_workdays: set[dt.date] = field(default_factory=set)
    years: range | None = None

    def correct(self, day: dt.date, *, working_day: bool) -> None:
        """A day off added; or a day worked: a holiday cancelled, or a make-up day outside the
        working weekdays (a Saturday worked in exchange for a bridge day). The last correction wins."""
        if working_day:
            self.holidays.discard(day)
            if day.weekday() not in self.weekdays:
                self.extra_workdays.add(day)
        else:
            self.holidays.add(day)
            self.extra_workdays.discard(day)

    def build(self) -> WorkingCalendar:
        return WorkingCalendar(periods=self.periods, weekdays=frozenset(self.weekdays),
                               holidays=frozenset(self.holidays - self.extra_workdays),
                               extra_workdays=frozenset(self.extra_workdays), years=self.years)
