"""A province's configuration, read into the pure shapes of deadlines.py: its fields of concerns,
working calendar and deadline rules, each falling back to the defaults stated in the UI.

A working calendar is built for a span of years: the public holidays of those years
(public_holidays.py), then the nationwide `Holiday` rows, then the province's own rows and hours.
The database is read once per `Clock`; each span's calendar is built on first use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone, translation

from gandan.org.models import AdminUnit
from gandan.org.models import Field as DefaultField
from gandan.petitions import deadlines, public_holidays
from gandan.petitions.models import DeadlineRule, Holiday, PetitionField, PetitionPolicy, WorkingTime


@dataclass(frozen=True)
class FieldOption:
    code: str
    name_vi: str
    name_en: str
    description: str = ""

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name_vi


def default_fields() -> list[FieldOption]:
    options = []
    for value, label in DefaultField.choices:
        with translation.override("vi"):
            name_vi = str(label)
        with translation.override("en"):
            name_en = str(label)
        options.append(FieldOption(value, name_vi, name_en))
    return options


def fields_for(province: AdminUnit | None, *, include_inactive: bool = False) -> list[FieldOption]:
    """The province's fields in order, or the default set when it configured none."""
    if province is None:
        return default_fields()
    rows = PetitionField.objects.filter(province=province)
    if not rows.exists():
        return default_fields()
    if not include_inactive:
        rows = rows.filter(active=True)
    return [FieldOption(r.code, r.name_vi, r.name_en, r.description) for r in rows]


def field_label(province: AdminUnit | None, code: str) -> str:
    return next((f.label for f in fields_for(province, include_inactive=True) if f.code == code), code)


def field_labels(province: AdminUnit | None) -> dict[str, str]:
    return {f.code: f.label for f in fields_for(province, include_inactive=True)}


def reopen_days(province: AdminUnit | None) -> int:
    """How many days after closing the citizen may still reopen a concern of the province."""
    days = PetitionPolicy.objects.filter(province=province).values_list("reopen_days", flat=True).first() \
        if province is not None else None
    return PetitionPolicy.REOPEN_DAYS if days is None else days


def years_around(day: dt.date, *, before: int = 1, after: int = 2) -> range:
    return range(day.year - before, day.year + after + 1)


@dataclass(frozen=True)
class CalendarSettings:
    """What the database says of a province's calendar: its hours and weekdays, and the
    corrections (date, working day) in the order they apply — nationwide first, then its own."""

    periods: tuple[tuple[dt.time, dt.time], ...] = deadlines.DEFAULT_PERIODS
    weekdays: frozenset[int] = deadlines.DEFAULT_WEEKDAYS
    corrections: tuple[tuple[dt.date, bool], ...] = ()

    def calendar(self, years: range) -> deadlines.WorkingCalendar:
        spec = deadlines.CalendarSpec(periods=self.periods, weekdays=self.weekdays, years=years,
                                      holidays=set(public_holidays.days_off(years)),
                                      extra_workdays=set(public_holidays.weekend_workdays(years)))
        for day, working_day in self.corrections:
            if day.year in years:
                spec.correct(day, working_day=working_day)
        return spec.build()


def calendar_settings(province: AdminUnit | None) -> CalendarSettings:
    working = WorkingTime.objects.filter(province=province).first() if province is not None else None
    corrections = tuple(Holiday.objects.applying_to(province).values_list("date", "working_day"))
    if working is None:
        return CalendarSettings(corrections=corrections)
    return CalendarSettings(periods=((working.morning_start, working.morning_end),
                                     (working.afternoon_start, working.afternoon_end)),
                            weekdays=frozenset(int(d) for d in working.weekdays or deadlines.DEFAULT_WEEKDAYS),
                            corrections=corrections)


def calendar_for(province: AdminUnit | None, years: range) -> deadlines.WorkingCalendar:
    return calendar_settings(province).calendar(years)


def rules_for(province: AdminUnit | None) -> list[deadlines.Rule]:
    if province is None:
        return []
    return [deadlines.Rule(stage=r.stage, amount=r.amount, unit=r.unit, field=r.field, urgency=r.urgency,
                           level=r.level, custom=True)
            for r in DeadlineRule.objects.filter(province=province)]


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment as the naive local time deadlines.py counts in (Asia/Ho_Chi_Minh)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment)


# Years after the start's that a deadline may reach: two cover any rule (at most 365 working
# days); a calendar with few working days gets as many years as deadlines.py would scan.
YEARS_AHEAD = 2
MAX_YEARS_AHEAD = deadlines.MAX_DAYS_SCANNED // 365 + 2


@dataclass
class Clock:
    """A province's calendar and rules, loaded once for a series of deadline computations."""

    settings: CalendarSettings
    rules: tuple[deadlines.Rule, ...]
    _calendars: dict[range, deadlines.WorkingCalendar] = field(default_factory=dict, init=False, repr=False)

    def calendar(self, years: range) -> deadlines.WorkingCalendar:
        if years not in self._calendars:
            self._calendars[years] = self.settings.calendar(years)
        return self._calendars[years]

    def deadlines(self, start: dt.datetime, *, field: str, urgency: str, level: str) -> tuple[dt.datetime,
                                                                                                dt.datetime]:
        begin = local(start)

        def within(ahead: int) -> deadlines.Deadlines:
            return deadlines.deadlines_for(self.calendar(years_around(begin, before=0, after=ahead)), begin,
                                           self.rules, field=field, urgency=urgency, level=level)

        try:
            found = within(YEARS_AHEAD)
        except deadlines.OutsideCalendar:
            found = within(MAX_YEARS_AHEAD)
        return aware(found.accept_by), aware(found.resolve_by)


def clock_for(province: AdminUnit | None) -> Clock:
    return Clock(calendar_settings(province), tuple(rules_for(province)))
