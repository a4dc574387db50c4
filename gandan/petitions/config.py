"""A province's configuration, read into the pure shapes of deadlines.py: its fields of concerns,
working calendar and deadline rules, each falling back to the defaults stated in the UI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation

from gandan.org.models import AdminUnit
from gandan.org.models import Field as DefaultField
from gandan.petitions import deadlines
from gandan.petitions.holidays import DEFAULT_EXTRA_WORKDAYS, DEFAULT_HOLIDAYS
from gandan.petitions.models import DeadlineRule, Holiday, PetitionField, WorkingTime


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


def calendar_spec(province: AdminUnit | None) -> deadlines.CalendarSpec:
    spec = deadlines.CalendarSpec(holidays={d for d, _ in DEFAULT_HOLIDAYS},
                                  extra_workdays={d for d, _ in DEFAULT_EXTRA_WORKDAYS})
    if province is None:
        return spec
    working = WorkingTime.objects.filter(province=province).first()
    if working is not None:
        spec.periods = ((working.morning_start, working.morning_end),
                        (working.afternoon_start, working.afternoon_end))
        if working.weekdays:
            spec.weekdays = frozenset(int(d) for d in working.weekdays)
    for day in Holiday.objects.filter(province=province):
        if day.working_day:
            spec.holidays.discard(day.date)
            if day.date.weekday() not in spec.weekdays:
                spec.extra_workdays.add(day.date)
        else:
            spec.holidays.add(day.date)
            spec.extra_workdays.discard(day.date)
    return spec


def calendar_for(province: AdminUnit | None) -> deadlines.WorkingCalendar:
    return calendar_spec(province).build()


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


@dataclass(frozen=True)
class Clock:
    """A province's calendar and rules, loaded once for a series of deadline computations."""

    calendar: deadlines.WorkingCalendar
    rules: tuple[deadlines.Rule, ...]

    def deadlines(self, start: dt.datetime, *, field: str, urgency: str, level: str) -> tuple[dt.datetime,
                                                                                                dt.datetime]:
        found = deadlines.deadlines_for(self.calendar, local(start), self.rules, field=field, urgency=urgency,
                                        level=level)
        return aware(found.accept_by), aware(found.resolve_by)


def clock_for(province: AdminUnit | None) -> Clock:
    return Clock(calendar_for(province), tuple(rules_for(province)))
