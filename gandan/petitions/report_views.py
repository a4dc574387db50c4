"""Lists and figures pages: the filtered list, rates per unit and department, the monthly ranking,
hot spots; each with an Excel export. Every count links to the list of the rows behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gandan.core.tabular import parse_date
from gandan.people.http import AuthenticatedRequest
from gandan.petitions import access, exports, queries, reports
from gandan.petitions.models import Channel, Kind, Status, Urgency
from gandan.petitions.views import field_labels

PAGE = 50


def _date(raw: str | None) -> dt.date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _period(request: HttpRequest, days: int = 30) -> tuple[dt.date, dt.date]:
    end = _date(request.GET.get("end")) or timezone.localdate()
    start = _date(request.GET.get("start")) or end - dt.timedelta(days=days - 1)
    return (start, end) if start <= end else (end, start)


def filters_from(request: HttpRequest) -> queries.Filters:
    get = request.GET
    flag = get.get("flag", "")
    return queries.Filters(
        status=get.get("status", "") if get.get("status") in Status.values else "",
        field=get.get("field", ""), urgency=get.get("urgency", "") if get.get("urgency") in Urgency.values else "",
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        kind=get.get("kind", "") if get.get("kind") in Kind.values else "",
        unit=_int(get.get("unit")), q=get.get("q", ""), start=_date(get.get("start")), end=_date(get.get("end")),
        overdue=get.get("overdue") == "1", held_unit=_int(get.get("held_unit")),
        held_agency=_int(get.get("held_agency")), held_cadre=_int(get.get("held_cadre")),
        flag=flag if flag in queries.FLAGS else "")


@login_required
def petition_list(request: AuthenticatedRequest) -> HttpResponseBase:
    f = filters_from(request)
    rows = queries.search(request.user, f)
    labels = field_labels(request.user)
    if request.GET.get("format") == "xlsx":
        return exports.petitions_xlsx(rows[:20000], labels)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "petitions/list.html", {
        "rows": page, "f": f, "labels": labels, "query": query.urlencode(), "statuses": Status.choices,
        "urgencies": Urgency.choices, "channels": Channel.choices, "kinds": Kind.choices,
    })


def list_link(period: tuple[dt.date, dt.date], **params: Any) -> str:
    """The list URL behind a count: the same stints, the same period."""
    start, end = period
    query = {k: v for k, v in params.items() if v not in (None, "")}
    query |= {"start": start.isoformat(), "end": end.isoformat()}
    return reverse("petitions-list") + "?" + urlencode(query)


def figures_link(period: tuple[dt.date, dt.date], unit_id: int) -> str:
    """The rates page of one unit for the period."""
    start, end = period
    return reverse("petitions-rates") + "?" + urlencode({"unit": unit_id, "start": start.isoformat(),
                                                         "end": end.isoformat()})


@login_required
def rates_page(request: AuthenticatedRequest) -> HttpResponseBase:
    root = queries.figure_root(request.user, _int(request.GET.get("unit")))
    period = _period(request)
    units, agencies, total = reports.rates_table(root, *period)
    if request.GET.get("format") == "xlsx":
        return exports.rates_xlsx(units, agencies)
    for row in units + agencies:
        row.link = _count_links(request.user, row, period)
    return render(request, "petitions/rates.html", {"root": root, "start": period[0], "end": period[1],
                                                    "units": units, "agencies": agencies, "total": total})


def _count_links(user: Any, row: reports.RateRow, period: tuple[dt.date, dt.date]) -> dict[str, str]:
    """The list behind each count of a row, when the viewer sees every concern it counts; none
    otherwise (the count is the same for everyone; its list would not be)."""
    agency = row.link.get("held_agency")
    if not access.sees_all_held_at(user, row.path, agency_id=agency):
        return {}
    return {flag: list_link(period, flag=flag, **row.link) for flag in queries.FLAGS}


@login_required
def ranking_page(request: AuthenticatedRequest) -> HttpResponseBase:
    root = queries.figure_root(request.user, _int(request.GET.get("unit")))
    today = timezone.localdate()
    default = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last full month
    month = _date(request.GET.get("month")) if request.GET.get("month") else None
    if month is None and request.GET.get("m"):
        month = _date(request.GET["m"] + "-01")
    month = (month or default).replace(day=1)
    units, agencies = reports.ranking(root, month)
    if request.GET.get("format") == "xlsx":
        return exports.ranking_xlsx(units, agencies, month)
    period = reports.month_bounds(month)
    for row in units + agencies:
        row.link = _count_links(request.user, row, period)
        row.page = figures_link(period, row.pk) if row.kind == "unit" else row.link.get("received", "")
    return render(request, "petitions/ranking.html", {
        "root": root, "month": month, "units": units, "agencies": agencies,
        "previous": (month - dt.timedelta(days=1)).replace(day=1),
        "next": (month + dt.timedelta(days=32)).replace(day=1) if month < today.replace(day=1) else None})


@login_required
def hotspots_page(request: AuthenticatedRequest) -> HttpResponse:
    root = queries.figure_root(request.user, _int(request.GET.get("unit")))
    period = _period(request)
    fields, places = reports.hotspots(root, *period)
    for spot in fields + places:
        spot.link = list_link(period, **spot.link, **({} if "unit" in spot.link else {"unit": root.pk}))  # type: ignore[assignment]  # the query, made a URL for the page
    return render(request, "petitions/hotspots.html", {
        "root": root, "start": period[0], "end": period[1], "fields": fields, "places": places,
        "previous": reports.previous_period(*period)})
