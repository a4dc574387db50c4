"""Event pages: the organiser's phone-first entry form (and its correction), an event, its deletion,
and the list of events behind any total (the drill-down)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.campaigns import choices, queries, rules, services
from gandan.campaigns.forms import EventForm
from gandan.campaigns.inputs import EventChange, EventIn
from gandan.campaigns.models import Campaign, CampaignEvent
from gandan.campaigns.views import period_filters
from gandan.fieldwork.photos import PhotoRejected
from gandan.org.models import Agency
from gandan.people.http import AuthenticatedRequest

PAGE_SIZE = 50


def _agency(request: AuthenticatedRequest, campaign: Campaign, current: Agency | None = None) -> tuple[
        list[Agency], Agency]:
    agencies = choices.agencies_for(request.user, campaign)
    if current is not None and current not in agencies:
        agencies = [current, *agencies]
    wanted = request.GET.get("agency") or request.POST.get("agency")
    chosen = next((a for a in agencies if str(a.pk) == wanted), current or (agencies[0] if agencies else None))
    if chosen is None:
        raise PermissionDenied(_("Bạn không ghi được đợt của phong trào này."))
    return agencies, chosen


def _form(request: AuthenticatedRequest, campaign: Campaign, agency: Agency, **kwargs: object) -> EventForm:
    places = choices.places_for(campaign, agency)
    return EventForm(request.POST or None, campaign=campaign, places=places, cadres=choices.people_of(agency),
                     cells=choices.cells_at(places), **kwargs)


def client_uuid_of(request: AuthenticatedRequest) -> uuid.UUID:
    """The form's own UUID (a second submit of the same page is a retry), or a new one."""
    try:
        return uuid.UUID(request.POST.get("client_uuid", ""))
    except ValueError:
        return uuid.uuid4()


def _photos(request: AuthenticatedRequest, event: CampaignEvent) -> None:
    for upload in request.FILES.getlist("photos"):
        try:
            services.photo_add(actor=request.user, event=event, upload=upload)
        except PhotoRejected as exc:
            messages.warning(request, str(exc))


@login_required
def event_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = queries.campaign_get(request.user, pk)
    agencies, agency = _agency(request, campaign)
    form = _form(request, campaign, agency, initial={"date": timezone.localdate(), "citizens": 0,
                                                     "party_members_reached": 0})
    if request.method == "POST" and form.is_valid():
        try:
            data = EventIn(client_uuid=client_uuid_of(request), campaign_id=campaign.pk, **form.change_data(agency))
            event, _created = services.event_record(actor=request.user, campaign=campaign, data=data)
        except ValidationError as exc:
            form.refuse(exc)
        except (services.EventConflict, services.MonthLocked) as exc:
            form.add_error(None, str(exc))
        else:
            _photos(request, event)
            messages.success(request, _("Đã ghi đợt ngày %(date)s.") % {"date": f"{event.date:%d/%m/%Y}"})
            return redirect("campaigns-event", event.pk)
    return render(request, "campaigns/event_form.html", {
        "campaign": campaign, "form": form, "agencies": agencies, "agency": agency,
        "client_uuid": request.POST.get("client_uuid") or uuid.uuid4()})


@login_required
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = queries.event_get(request.user, pk)
    if not services.may_record(request.user, event.agency):
        raise Http404
    agencies, agency = _agency(request, event.campaign, event.agency)
    initial = {"date": event.date, "unit": event.unit_id, "cadres": [c.cadre_id for c in event.cadre_links.all()],
               "cadre_participations": event.cadre_participations, "citizens": event.citizens,
               "party_members_reached": event.party_members_reached, "notes": event.notes,
               "party_cells": [c.pk for c in event.party_cells.all()],
               **{f"group_{k}": v for k, v in event.citizen_groups.items()},
               **{f"out_{o.indicator.code}": o.amount for o in event.outputs.select_related("indicator")}}
    form = _form(request, event.campaign, agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=EventChange(**form.change_data(agency)))
        except ValidationError as exc:
            form.refuse(exc)
        except services.MonthLocked as exc:
            form.add_error(None, str(exc))
        else:
            _photos(request, event)
            messages.success(request, _("Đã sửa đợt."))
            return redirect("campaigns-event", event.pk)
    return render(request, "campaigns/event_form.html", {
        "campaign": event.campaign, "form": form, "agencies": agencies, "agency": agency, "event": event})


@login_required
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = queries.event_get(request.user, pk)
    return render(request, "campaigns/event_detail.html", {
        "event": event, "cadres": event.cadre_links.select_related("cadre", "visit").order_by("cadre__name_folded"),
        "outputs": event.outputs.select_related("indicator"), "cells": event.party_cells.all(),
        "photos": event.photos.all(), "may_edit": services.may_record(request.user, event.agency),
        "off_schedule": not rules.on_schedule(event.campaign.schedule, event.campaign.dates, event.date)})


@login_required
@require_POST
def event_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = queries.event_get(request.user, pk)
    if not services.may_record(request.user, event.agency):
        raise Http404
    campaign_id = event.campaign_id
    try:
        services.event_delete(actor=request.user, event=event)
    except services.MonthLocked as exc:
        messages.error(request, str(exc))
        return redirect("campaigns-event", pk)
    messages.success(request, _("Đã xóa đợt và các lần đi cơ sở đi kèm."))
    return redirect("campaigns-detail", campaign_id)


@login_required
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form, unit, date_from, date_to = period_filters(request)
    campaign = queries.campaign_get(user, int(request.GET["campaign"])) \
        if request.GET.get("campaign", "").isdigit() else None
    cadre = int(request.GET["cadre"]) if request.GET.get("cadre", "").isdigit() else None
    filters = queries.EventFilters(campaign=campaign, unit=unit, date_from=date_from, date_to=date_to,
                                   cadre_id=cadre, indicator=request.GET.get("indicator", "")[:40])
    page = Paginator(queries.events_filtered(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/event_list.html", {"form": form, "page": page, "campaign": campaign,
                                                         "filters": filters})
