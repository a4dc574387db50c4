"""The register of exemplary models: the list with its counts (status, field, unit, period) and Excel,
registering a model, and a model with its decisions (recognised → praised or commended)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.campaigns import choices, exports, model_queries, model_services, queries
from gandan.campaigns.event_views import client_uuid_of
from gandan.campaigns.forms import DecisionForm, ModelFilterForm, ModelForm
from gandan.campaigns.inputs import DecisionIn, ModelIn
from gandan.campaigns.models import ModelField, ModelStatus
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import WRITE_ROLES
from gandan.people.unit_queries import unit_get

PAGE_SIZE = 50


def _put_errors(form: ModelForm | DecisionForm, exc: ValidationError) -> None:
    for key, msgs in exc.message_dict.items():
        name = key.removesuffix("_id")
        for message in msgs:
            form.add_error(name if name in form.fields else None, message)
    form.style()


@login_required
def model_list(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    form = ModelFilterForm(request.GET or None, units=choices.scope_units(user))
    d = form.cleaned_data if form.is_valid() else {}
    filters = model_queries.ModelFilters(
        unit=unit_get(user, d["unit"]) if d.get("unit") else None, status=d.get("status", ""),
        field=d.get("field", ""), holder_kind=d.get("holder_kind", ""), date_from=d.get("date_from"),
        date_to=d.get("date_to"))
    qs = model_queries.models_filtered(user, filters)
    if request.GET.get("export") == "xlsx":
        return exports.models_download(qs, f"mo-hinh-dien-hinh-{timezone.localdate():%Y%m%d}.xlsx")
    counts = model_queries.model_counts(user, filters)
    return render(request, "campaigns/model_list.html", {
        "form": form, "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "counts": counts,
        "statuses": [(s, label, counts.by_status.get(s, 0)) for s, label in ModelStatus.choices],
        "fields": [(f, label, counts.by_field.get(f, 0)) for f, label in ModelField.choices
                   if counts.by_field.get(f)],
        "query": request.GET.urlencode(), "params": {k: v for k, v in request.GET.items() if k != "page"}})


@login_required
def model_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    units = choices.scope_units(user, depth_below=2)
    form = ModelForm(request.POST or None, units=units, campaigns=list(queries.campaigns_visible(user)[:200]),
                     initial={"registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            model, _created = model_services.model_register(actor=user, data=ModelIn(
                client_uuid=client_uuid_of(request), unit_id=d["unit"],
                campaign_id=d.get("campaign"), holder_kind=d["holder_kind"], holder_name=d["holder_name"],
                title=d["title"], field=d["field"], description=d.get("description", ""),
                evidence=d.get("evidence", ""), registered_on=d["registered_on"]))
        except ValidationError as exc:
            _put_errors(form, exc)
        except model_services.ModelConflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã đăng ký mô hình."))
            return redirect("campaigns-model", model.pk)
    return render(request, "campaigns/model_form.html", {"form": form, "client_uuid": uuid.uuid4()})


@login_required
def model_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    model = model_queries.model_get(user, pk)
    may_decide = scoping.has_role(user, WRITE_ROLES, model.unit)
    form = DecisionForm(request.POST or None, initial={"date": timezone.localdate()})
    form.style()
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được ghi quyết định công nhận, biểu dương, khen thưởng."))
        if form.is_valid():
            try:
                model_services.model_decide(actor=user, model=model, data=DecisionIn(**form.cleaned_data))
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi quyết định."))
                return redirect("campaigns-model", model.pk)
    return render(request, "campaigns/model_detail.html", {
        "model": model, "decisions": model.decisions.all(), "form": form,
        "may_decide": may_decide and model.status != ModelStatus.COMMENDED})
