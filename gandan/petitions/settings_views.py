"""The configuration page of a province: fields, working time, holidays, deadline rules, each with the
defaults stated; committees and administrators of the province change them here."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.core.tabular import parse_date
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.petitions import config, config_services, deadlines, public_holidays
from gandan.petitions.models import DeadlineRule, Holiday, Urgency

WEEKDAYS = [(0, "Thứ Hai"), (1, "Thứ Ba"), (2, "Thứ Tư"), (3, "Thứ Năm"), (4, "Thứ Sáu"), (5, "Thứ Bảy"),
            (6, "Chủ nhật")]
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years the settings page shows holidays of


def _province(request: HttpRequest) -> AdminUnit:
    roots = scoping.top_units(request.user)
    if not roots:
        raise Http404("Không tìm thấy / Not found")
    return roots[0].province or roots[0]


def _year(request: HttpRequest) -> int:
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


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    province, year = _province(request), _year(request)
    calendar_settings = config.calendar_settings(province)
    return render(request, "petitions/settings.html", {
        "province": province, "can_edit": config_services.may_configure(request.user, province),
        "fields": config.fields_for(province, include_inactive=True),
        "active_codes": {f.code for f in config.fields_for(province)},
        "spec": calendar_settings, "weekdays": WEEKDAYS, "year": year, "years": (year - 1, year + 1),
        "national_days": _national_days(calendar_settings, year),
        "own_holidays": Holiday.objects.filter(province=province).order_by("date"),
        "default_rules": deadlines.DEFAULT_RULES, "rules": DeadlineRule.objects.filter(province=province),
        "urgencies": Urgency.choices, "labels": config.field_labels(province),
    })


def _time(raw: str) -> dt.time:
    try:
        return dt.time.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValidationError({"periods": _("Giờ phải dạng HH:MM, ví dụ 07:30.")}) from exc


@login_required
@require_POST
def settings_change(request: HttpRequest, what: str) -> HttpResponse:
    province, post, user = _province(request), request.POST, request.user
    try:
        if what == "field":
            config_services.field_save(actor=user, province=province, code=post.get("code", ""),
                                       name_vi=post.get("name_vi", ""), name_en=post.get("name_en", ""),
                                       description=post.get("description", ""), active=post.get("active") == "1")
        elif what == "working-time":
            periods = ((_time(post.get("morning_start", "")), _time(post.get("morning_end", ""))),
                       (_time(post.get("afternoon_start", "")), _time(post.get("afternoon_end", ""))))
            days = [int(d) for d in post.getlist("weekdays") if d.isdigit()]
            config_services.working_time_set(actor=user, province=province, periods=periods, weekdays=days)
        elif what == "holiday":
            try:
                date = parse_date(post.get("date", ""))
            except ValueError as exc:
                raise ValidationError({"date": str(exc)}) from exc
            config_services.holiday_set(actor=user, province=province, date=date, name=post.get("name", ""),
                                        working_day=post.get("working_day") == "1")
        elif what == "holiday-remove":
            config_services.holiday_remove(actor=user, holiday=get_object_or_404(
                Holiday, pk=post.get("pk", "0"), province=province))
        elif what == "rule":
            amount = post.get("amount", "")
            config_services.rule_set(actor=user, province=province, stage=post.get("stage", ""),
                                     amount=int(amount) if amount.isdigit() else 0, unit=post.get("unit", ""),
                                     field=post.get("field", ""), urgency=post.get("urgency", ""),
                                     level=post.get("level", ""))
        elif what == "rule-remove":
            config_services.rule_remove(actor=user, rule=get_object_or_404(
                DeadlineRule, pk=post.get("pk", "0"), province=province))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("petitions-settings")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("petitions-settings")
    messages.success(request, _("Đã lưu cấu hình."))
    return redirect("petitions-settings")
