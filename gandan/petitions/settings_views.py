"""The configuration page of a province: fields, working time, holidays, deadline rules, each with the
defaults stated; committees and administrators of the province change them here.

Each change is its own POST-only view with its own form (config_forms.py): it calls its service with
keyword arguments and goes back to the page (POST/redirect/GET), or draws the page again with the
form's errors and what was typed (400), or with the reason for a user who may not configure (403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.petitions import config, config_services, deadlines, public_holidays
from gandan.petitions.config_forms import (
    WEEKDAYS,
    ConfigForm,
    FieldForm,
    HolidayForm,
    PolicyForm,
    RuleForm,
    WorkingTimeForm,
)
from gandan.petitions.forms import attach_errors
from gandan.petitions.models import DeadlineRule, Holiday

Change = Callable[[AuthenticatedRequest, AdminUnit, dict[str, Any]], object]
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years the settings page shows holidays of


def _province(request: AuthenticatedRequest) -> AdminUnit:
    roots = scoping.top_units(request.user)
    if not roots:
        raise Http404(_("Không tìm thấy"))
    return roots[0].province or roots[0]


def _year(request: AuthenticatedRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR else timezone.localdate().year


def _national_days(calendar_settings: config.CalendarSettings, year: int) -> list[tuple[dt.date, str, str, bool]]:
    """The year's public holidays, make-up days and nationwide corrections as (date, name, kind,
    overridden): overridden when the province's calendar says otherwise of that day."""
    years = range(year, year + 1)
    calendar = calendar_settings.calendar(years)
    language = public_holidays.language_for(translation.get_language())
    days = [(d, name, _("mặc định"), False) for d, name in public_holidays.days_off(years, language=language).items()]
    days += [(d, _("Làm việc bù cho một ngày nghỉ"), _("ngày làm bù"), True)
             for d in public_holidays.weekend_workdays(years)]
    days += [(h.date, h.name, _("toàn quốc"), h.working_day)
             for h in Holiday.objects.nationwide().filter(date__year=year)]
    return [(d, name, kind, calendar.is_working_day(d) != working) for d, name, kind, working in sorted(days)]


def _page(request: AuthenticatedRequest, province: AdminUnit, *, status: int = 200, refusal: str = "",
          **refused: ConfigForm) -> HttpResponse:
    """The page; `refused` is the form that came back with errors, shown in place of its blank one."""
    year = _year(request)
    calendar_settings = config.calendar_settings(province)
    (morning_start, morning_end), (afternoon_start, afternoon_end) = calendar_settings.periods
    working = {"morning_start": morning_start, "morning_end": morning_end, "afternoon_start": afternoon_start,
               "afternoon_end": afternoon_end, "weekdays": sorted(calendar_settings.weekdays)}
    return render(request, "petitions/settings.html", {
        "province": province, "can_edit": config_services.may_configure(request.user, province),
        "fields": config.fields_for(province, include_inactive=True),
        "active_codes": {f.code for f in config.fields_for(province)},
        "spec": calendar_settings, "weekdays": WEEKDAYS, "year": year, "years": (year - 1, year + 1),
        "national_days": _national_days(calendar_settings, year),
        "own_holidays": Holiday.objects.filter(province=province).order_by("date"),
        "default_rules": deadlines.DEFAULT_RULES, "rules": DeadlineRule.objects.filter(province=province),
        "labels": config.field_labels(province), "refusal": refusal,
        "rule_form": RuleForm(province=province), "field_form": FieldForm(province=province),
        "working_form": WorkingTimeForm(province=province, initial=working),
        "holiday_form": HolidayForm(province=province), "reopen_days": config.reopen_days(province),
        "policy_form": PolicyForm(province=province, initial={"reopen_days": config.reopen_days(province)}),
        **refused,
    }, status=status)


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request, _province(request))


def config_change(key: str, form_class: type[ConfigForm]) -> Callable[[Change], Callable[..., HttpResponse]]:
    """Turn `change(request, province, data)` into the view that validates `form_class`, runs the change
    and redirects, or draws the page with the refused form as `key`."""

    def decorate(change: Change) -> Callable[..., HttpResponse]:
        @wraps(change)
        def view(request: AuthenticatedRequest) -> HttpResponse:
            province = _province(request)
            form = form_class(request.POST, province=province)
            status = 400
            if form.is_valid():
                try:
                    change(request, province, form.cleaned_data)
                except PermissionDenied as exc:
                    status = 403
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    attach_errors(form, exc)
                else:
                    messages.success(request, _("Đã lưu cấu hình."))
                    return redirect("petitions-settings")
            return _page(request, province, status=status, **{key: form})  # type: ignore[arg-type]  # `key` names a form, not `refusal`

        return view

    return decorate


@login_required
@require_POST
@config_change("field_form", FieldForm)
def field_save(request: AuthenticatedRequest, province: AdminUnit, data: dict[str, Any]) -> None:
    config_services.field_save(actor=request.user, province=province, code=data["code"], name_vi=data["name_vi"],
                               name_en=data["name_en"], description=data["description"], active=data["active"])


@login_required
@require_POST
@config_change("policy_form", PolicyForm)
def policy_set(request: AuthenticatedRequest, province: AdminUnit, data: dict[str, Any]) -> None:
    config_services.policy_set(actor=request.user, province=province, reopen_days=data["reopen_days"])


@login_required
@require_POST
@config_change("working_form", WorkingTimeForm)
def working_time_set(request: AuthenticatedRequest, province: AdminUnit, data: dict[str, Any]) -> None:
    config_services.working_time_set(actor=request.user, province=province, periods=data["periods"],
                                     weekdays=data["weekdays"])


@login_required
@require_POST
@config_change("holiday_form", HolidayForm)
def holiday_set(request: AuthenticatedRequest, province: AdminUnit, data: dict[str, Any]) -> None:
    config_services.holiday_set(actor=request.user, province=province, date=data["date"], name=data["name"],
                                working_day=data["working_day"])


@login_required
@require_POST
@config_change("rule_form", RuleForm)
def rule_set(request: AuthenticatedRequest, province: AdminUnit, data: dict[str, Any]) -> None:
    config_services.rule_set(actor=request.user, province=province, stage=data["stage"], amount=data["amount"],
                             unit=data["unit"], field=data["field"], urgency=data["urgency"], level=data["level"])


@login_required
@require_POST
def holiday_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Drop one of the province's own days (a day of another province answers 404 like a missing one)."""
    province = _province(request)
    holiday = scoping.get_visible_or_404(Holiday.objects.filter(province=province), request.user, pk=pk)
    try:
        config_services.holiday_remove(actor=request.user, holiday=holiday)
    except PermissionDenied as exc:
        return _page(request, province, status=403, refusal=str(exc))
    messages.success(request, _("Đã lưu cấu hình."))
    return redirect("petitions-settings")


@login_required
@require_POST
def rule_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Drop one of the province's own deadline rules (the defaults apply again)."""
    province = _province(request)
    rule = scoping.get_visible_or_404(DeadlineRule.objects.filter(province=province), request.user, pk=pk)
    try:
        config_services.rule_remove(actor=request.user, rule=rule)
    except PermissionDenied as exc:
        return _page(request, province, status=403, refusal=str(exc))
    messages.success(request, _("Đã lưu cấu hình."))
    return redirect("petitions-settings")
