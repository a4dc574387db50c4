"""Pages of campaigns: the list, one campaign's summary (totals, outputs per indicator, per unit, per
month, who is behind the rule, Excel), a new campaign, and event photos. Events are in
event_views.py, the models register in model_views.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.campaigns import choices, exports, queries
from gandan.campaigns.campaign_services import CampaignData, campaign_create
from gandan.campaigns.forms import CampaignForm, FilterForm
from gandan.campaigns.models import EventPhoto
from gandan.org.models import AdminUnit, Agency
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.unit_queries import unit_get


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    campaigns = list(queries.campaigns_visible(request.user).select_related("agency", "unit")[:200])
    today = timezone.localdate()
    return render(request, "campaigns/home.html", {
        "campaigns": campaigns, "today": today, "may_create": bool(choices.organiser_agencies(request.user)),
        "recordable": {c.pk for c in campaigns if choices.agencies_for(request.user, c)}})


def period_filters(request: AuthenticatedRequest) -> tuple[FilterForm, AdminUnit | None, dt.date | None,
                                                           dt.date | None]:
    form = FilterForm(request.GET or None, units=choices.scope_units(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    unit = unit_get(request.user, data["unit"]) if data.get("unit") else None
    return form, unit, data.get("date_from"), data.get("date_to")


@login_required
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    campaign = queries.campaign_get(user, pk)
    form, unit, date_from, date_to = period_filters(request)
    filters = queries.EventFilters(campaign=campaign, unit=unit, date_from=date_from, date_to=date_to)
    totals = queries.totals(user, filters)
    if request.GET.get("export") == "xlsx":
        caption = _("%(name)s — %(where)s, %(start)s–%(end)s") % {
            "name": campaign.name, "where": unit.name if unit else _("toàn phạm vi"),
            "start": f"{date_from:%d/%m/%Y}" if date_from else "…", "end": f"{date_to:%d/%m/%Y}" if date_to else "…"}
        return exports.summary_download(totals, caption, f"phong-trao-{campaign.pk}.xlsx")
    report = queries.compliance(user, campaign, unit=unit, date_from=date_from, date_to=date_to) \
        if campaign.min_events else None
    base = filters.as_query()
    last = report.periods[-1] if report and report.periods else None
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "form": form, "t": totals, "report": report, "base": base, "last_period": last,
        "behind_last": report.behind_in(last) if report else [],
        "indicators": [(o, {**base, "indicator": o.code}) for o in totals.outputs],
        "month_outputs": [(o.code, o.measure) for o in totals.outputs],
        "may_record": bool(choices.agencies_for(user, campaign)), "today": timezone.localdate()})


def _campaign_data(form: CampaignForm, agency: Agency, units: dict[int, AdminUnit]) -> CampaignData:
    d = form.cleaned_data
    return CampaignData(
        name=d["name"], agency=agency, starts_on=d["starts_on"], ends_on=d.get("ends_on"), schedule=d["schedule"],
        dates=d.get("dates") or [], scope=[(units[pk], d["with_subtree"]) for pk in d["scope"] if pk in units],
        indicator_codes=d["indicators"], min_events=d["min_events"], rule_period=d["rule_period"],
        rule_employment_types=d.get("rule_employment_types") or [], description=d.get("description", ""))


@login_required
def campaign_new(request: AuthenticatedRequest) -> HttpResponse:
    agencies = choices.organiser_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được tạo phong trào."))
    units = choices.scope_units(request.user, depth_below=2)
    form = CampaignForm(request.POST or None, agencies=agencies, units=units,
                        initial={"starts_on": timezone.localdate(), "rule_period": "month"})
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        try:
            campaign = campaign_create(actor=request.user, data=_campaign_data(form, agency, {u.pk: u for u in units}))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(key if key in form.fields else None, message)
            form.style()
        else:
            return redirect("campaigns-detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
def photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """An event photo, for those who see the event (404 alike for missing and forbidden)."""
    visible = EventPhoto.objects.filter(event__in=queries.events_visible(request.user).values("pk"))
    found = scoping.get_visible_or_404(visible, request.user, pk=pk)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
