"""Leaders' pages: the visit list (filters, paging, Excel), the month calendar, a visit with its
photos, concerns, flags and history, its edit form, and quota compliance."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.fieldwork import exports, queries, services
from gandan.fieldwork.forms import VisitEditForm, VisitFilterForm, parse_month
from gandan.fieldwork.models import next_month
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import User
from gandan.people.unit_queries import unit_get

PAGE_SIZE = 50


def scope_units(user: User) -> list[AdminUnit]:
    """Units offered by the filters: the roots of the user's scope and the level below them."""
    roots = scoping.top_units(user)
    if not roots:
        return []
    depth = min(u.depth for u in roots)
    return list(scoping.units_for(user).current().filter(depth__lte=depth + 1).order_by("path")[:500])


def _filters(request: AuthenticatedRequest) -> tuple[VisitFilterForm, queries.VisitFilters]:
    form = VisitFilterForm(request.GET or None, units=scope_units(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    unit = unit_get(request.user, data["unit"]) if data.get("unit") else None
    filters = queries.VisitFilters(unit=unit, cadre_id=data.get("cadre"), cadre_text=data.get("q", ""),
                                   kind=data.get("kind", ""), date_from=data.get("date_from"),
                                   date_to=data.get("date_to"), flagged=bool(data.get("flagged")))
    return form, filters


def _query_without(request: HttpRequest, *names: str) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in names and v])


@login_required
def visit_list(request: AuthenticatedRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    qs = queries.visits_filtered(request.user, filters)
    if request.GET.get("export") == "xlsx":
        return exports.visits_xlsx(qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.places_of(queries.with_flags(page.object_list))
    return render(request, "fieldwork/visit_list.html", {
        "form": form, "page": page, "rows": rows, "query": _query_without(request, "page", "export"),
    })


@login_required
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _filters(request)
    month = parse_month(request.GET.get("month"))
    counts = queries.calendar_counts(request.user, filters, month)
    weeks = [[(day, counts.get(day, 0)) if day.month == month.month else (None, 0) for day in week]
             for week in cal.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)]
    query = _query_without(request, "month", "page", "date_from", "date_to")
    return render(request, "fieldwork/calendar.html", {
        "form": form, "month": month, "weeks": weeks, "total": sum(counts.values()), "query": query,
        "previous": (month - dt.timedelta(days=1)).strftime("%Y-%m"), "next": next_month(month).strftime("%Y-%m"),
        "month_hidden": [("month", month.strftime("%Y-%m"))],
        "today": timezone.localdate(), "weekdays": [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")],
    })


@login_required
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = queries.with_flags([queries.visit_get(request.user, pk)])[0]
    queries.places_of([visit])
    topics = {t.code: t.label for t in queries.topics_for(visit.province_id)}
    locked = queries.is_month_locked(visit.province_id, visit.date)
    return render(request, "fieldwork/visit_detail.html", {
        "visit": visit,
        "findings": [(topics.get(code, code), text) for code, text in visit.findings.items()],
        "photos": list(visit.photos.all()),
        "concerns": queries.concerns_of(visit),
        "history": _history(visit),
        "locked": locked,
        "may_edit": not locked and services.may_edit(request.user, visit),
        "limits": queries.flag_limits(),
    })


def _history(visit: Any) -> list[tuple[Any, list[str]]]:
    """The visit's audit events, each with the names of the fields an edit changed."""
    labels = {"date": _("Ngày"), "kind": _("Loại"), "findings": _("Tình hình theo chủ đề"), "notes": _("Ghi chú"),
              "units": _("Nơi đến"), "households": _("Hộ")}
    rows = []
    for event in queries.visit_history(visit):
        before, after = event.before or {}, event.after or {}
        changed = [str(label) for key, label in labels.items() if key in after and before.get(key) != after.get(key)]
        rows.append((event, changed))
    return rows


@login_required
def visit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = queries.visit_get(request.user, pk)
    if not services.may_edit(request.user, visit):
        raise PermissionDenied
    topics = queries.topics_for(visit.province_id)
    initial = {"date": visit.date, "kind": visit.kind, "notes": visit.notes,
               **{f"finding_{code}": text for code, text in visit.findings.items()}}
    form = VisitEditForm(request.POST or None, initial=initial, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(actor=request.user, visit=visit, changes=form.changes())
        except services.MonthLocked as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("fieldwork-visit", pk=visit.pk)
    return render(request, "fieldwork/visit_edit.html", {"visit": visit, "form": form})


@login_required
def compliance(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    month = parse_month(request.GET.get("month"))
    unit_id = request.GET.get("unit")
    unit = unit_get(user, int(unit_id)) if unit_id and unit_id.isdigit() else None
    report = queries.compliance_for(user, month, unit)
    if request.GET.get("export") == "xlsx":
        return exports.compliance_xlsx(report)
    behind = Paginator(report.behind, PAGE_SIZE).get_page(request.GET.get("page"))
    series = queries.compliance_series(user, month, 6, unit)
    return render(request, "fieldwork/compliance.html", {
        "report": report, "behind": behind, "series": series, "month": month, "unit": unit,
        "units": scope_units(user), "query": _query_without(request, "page", "export"),
        "previous": (month - dt.timedelta(days=1)).strftime("%Y-%m"), "next": next_month(month).strftime("%Y-%m"),
    })
