"""The merge pages of a unit administrator: the merges of their units (scheduled, applied, cancelled), a
form to merge units (today or a past date applies at once, a later one waits for the day's job), and the
cancelling of a scheduled merge with its reason.

Who may merge what is people/scoping.administers_merge: the administrator of the unit above (a province
for its communes, a commune for its villages), and for provinces — or across provinces — an
administrator of each province. Everything else answers like a missing object, and the denial is logged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gandan.core.text import sort_key
from gandan.org.models import AdminUnit, MergeStatus, UnitMerge
from gandan.org.services import DISTRICT, MergeError
from gandan.people import merge_services, scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date input sends ISO; a typed date is Vietnamese
STATUSES = (MergeStatus.SCHEDULED, MergeStatus.APPLIED, MergeStatus.CANCELLED)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _require_admin_somewhere(request: AuthenticatedRequest) -> list[str]:
    paths = scoping.scope_paths(request.user, {Role.UNIT_ADMIN})
    if not paths:
        raise Http404(_("Không tìm thấy"))
    return paths


def _visible_units(request: AuthenticatedRequest, ids: list[int], field: str) -> list[AdminUnit]:
    """The units of `ids` the user sees (refused ones leave a logged denial); raises a field error."""
    found = {u.pk: u for u in scoping.units_for(request.user).filter(pk__in=ids).select_related("level", "parent")}
    for pk in ids:
        if pk not in found:
            if AdminUnit.objects.filter(pk=pk).exists():
                scoping.log_denial(request.user, AdminUnit, pk)
            raise forms.ValidationError(_("Không tìm thấy đơn vị"), code=field)
    return [found[pk] for pk in ids]


class MergeForm(forms.Form):
    """Sources (checkboxes of the area's units), the target (one of them, or a unit elsewhere by its code),
    the effective date; a date that has come needs the confirmation that the merge applies at once."""

    sources = forms.CharField(label=gettext_lazy("Đơn vị sáp nhập (không còn tồn tại)"), required=False)
    target = forms.CharField(label=gettext_lazy("Đơn vị nhận"), required=False)
    target_code = forms.CharField(label=gettext_lazy("hoặc mã đơn vị nhận ở nơi khác"), max_length=40, required=False)
    effective = forms.DateField(label=gettext_lazy("Ngày có hiệu lực"), input_formats=DATE_FORMATS, widget=DateInput(),
                                error_messages={"required": gettext_lazy("Hãy nhập ngày có hiệu lực"),
                                                "invalid": gettext_lazy("Ngày không hợp lệ: hãy gõ dd/mm/yyyy")})
    confirm_now = forms.BooleanField(
        label=gettext_lazy("Ngày có hiệu lực đã đến: sáp nhập ngay, không hoàn tác được"), required=False)

    def __init__(self, *args: Any, request: AuthenticatedRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_sources(self) -> list[AdminUnit]:
        raw = self.data.getlist("sources") if hasattr(self.data, "getlist") else self.data.get("sources", [])
        try:
            ids = [int(v) for v in raw]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Không tìm thấy đơn vị")) from exc
        if not ids:
            raise forms.ValidationError(_("Hãy chọn ít nhất một đơn vị sáp nhập"))
        return _visible_units(self.request, ids, "sources")

    def clean_target(self) -> AdminUnit | None:
        code = (self.data.get("target_code") or "").strip()
        sources = self.cleaned_data.get("sources") or []
        if code:
            level = sources[0].level_id if sources else None
            candidates = scoping.units_for(self.request.user).current().filter(code=code)
            if level is not None:
                candidates = candidates.filter(level_id=level)
            unit = candidates.select_related("level", "parent").first()
            if unit is None:
                others = AdminUnit.objects.filter(code=code)
                if level is not None:
                    others = others.filter(level_id=level)
                if (other := others.first()) is not None:
                    scoping.log_denial(self.request.user, AdminUnit, other.pk)
                raise forms.ValidationError(_("Không tìm thấy đơn vị mã %(code)s") % {"code": code})
            return unit
        value = (self.cleaned_data.get("target") or "").strip()
        if not value:
            raise forms.ValidationError(_("Hãy chọn đơn vị nhận"))
        try:
            pk = int(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Không tìm thấy đơn vị")) from exc
        return _visible_units(self.request, [pk], "target")[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        effective = data.get("effective")
        if effective is not None and effective <= timezone.localdate() and not data.get("confirm_now"):
            self.add_error("confirm_now", _("Ngày %(date)s đã đến: hãy xác nhận sáp nhập ngay") % {
                "date": f"{effective:%d/%m/%Y}"})
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": gettext_lazy("Hãy ghi lý do hủy lịch sáp nhập")})


@login_required
def merge_list(request: AuthenticatedRequest) -> HttpResponse:
    """The merges of the administrator's units, newest day first, by status."""
    _require_admin_somewhere(request)
    status = request.GET.get("status", "")
    merges = scoping.merges_administered(request.user)
    counts = dict(merges.order_by().values_list("status").annotate(n=Count("pk")))
    if status in STATUSES:
        merges = merges.filter(status=status)
    merges = merges.select_related("source", "source__level", "target", "requested_by", "cancelled_by").order_by(
        "-effective", "-pk")
    page = Paginator(merges, 50).get_page(request.GET.get("page"))
    return render(request, "people/merges.html", {
        "page": page, "status": status, "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in STATUSES],
        "today": timezone.localdate()})


def _area(request: AuthenticatedRequest) -> AdminUnit | None:
    """The unit whose current children the form offers (`?area=`): one the user sees, or none (their roots)."""
    raw = request.GET.get("area") or request.POST.get("area")
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404(_("Không tìm thấy")) from exc
    return scoping.get_in_scope_or_404(AdminUnit.objects.select_related("level", "parent"), request.user, "path",
                                       pk=pk)


def _candidates(request: AuthenticatedRequest, area: AdminUnit | None) -> list[AdminUnit]:
    """The units the administrator may merge in the area: its current children (or, with no area, the
    roots of their scope), each with its scheduled merge if any."""
    if area is None:
        units = list(AdminUnit.objects.filter(path__in=scoping.scope_paths(request.user, {Role.UNIT_ADMIN}))
                     .current().select_related("level", "parent"))
    else:
        units = list(area.children.current().select_related("level", "parent"))
    units = [u for u in units if scoping.administers_merge(request.user, u)]
    pending = {m.source_id: m for m in UnitMerge.objects.filter(source__in=units, status=MergeStatus.SCHEDULED)
               .select_related("target")}
    for unit in units:
        unit.pending_merge = pending.get(unit.pk)  # type: ignore[attr-defined]  # for the page
    return sorted(units, key=lambda u: (u.level.rank, sort_key(u.name)))


def _subareas(request: AuthenticatedRequest, area: AdminUnit | None) -> list[AdminUnit]:
    """Units of the area with current children of their own: where to go to merge those."""
    if area is None:
        roots = AdminUnit.objects.filter(path__in=scoping.scope_paths(request.user, {Role.UNIT_ADMIN}))
        rows = roots.current()
    else:
        rows = area.children.current()
    rows = rows.annotate(n=Count("children", filter=Q(children__valid_to__isnull=True))).filter(n__gt=0)
    return sorted(rows.select_related("level"), key=lambda u: sort_key(u.name))


@login_required
@require_http_methods(["GET", "POST"])
def merge_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin_somewhere(request)
    area = _area(request)
    form = MergeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merge_services.merge_schedule(actor=request.user, sources=data["sources"], target=data["target"],
                                          effective=data["effective"])
        except MergeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            names = ", ".join(s.name for s in data["sources"])
            values = {"sources": names, "target": data["target"].name, "date": f"{data['effective']:%d/%m/%Y}"}
            if data["effective"] > timezone.localdate():
                messages.success(request, _("Đã lên lịch: %(sources)s sẽ sáp nhập vào %(target)s ngày %(date)s.")
                                 % values)
            else:
                messages.success(request, _("Đã sáp nhập %(sources)s vào %(target)s từ ngày %(date)s.") % values)
            return redirect("unit-merges")
    candidates = _candidates(request, area)
    chosen = {str(v) for v in request.POST.getlist("sources")}
    return render(request, "people/merge_new.html", {
        "form": form, "area": area, "candidates": candidates, "chosen": chosen,
        "ends_districts": area is not None and any(u.level.code == DISTRICT for u in candidates),
        "subareas": _subareas(request, area),
        "up": area.parent if area is not None and area.parent is not None
        and scoping.covers(request.user, area.parent.path, {Role.UNIT_ADMIN}) else None,
        "crumbs": [],
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def merge_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET shows the scheduled merge and asks the reason; POST cancels it."""
    merge = scoping.get_visible_or_404(
        scoping.merges_administered(request.user).select_related("source", "source__level", "target"),
        request.user, pk=pk)
    if not scoping.administers_merge(request.user, merge.source):
        scoping.log_denial(request.user, UnitMerge, merge.pk)
        raise Http404(_("Không tìm thấy"))
    form = CancelForm(request.POST if request.method == "POST" else None)
    if merge.status != MergeStatus.SCHEDULED:
        messages.error(request, _("Việc sáp nhập này không còn chờ thực hiện"))
        return redirect("unit-merges")
    if request.method == "POST" and form.is_valid():
        try:
            merge_services.merge_cancel(actor=request.user, merge=merge, reason=form.cleaned_data["reason"])
        except MergeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Đã hủy lịch sáp nhập %(source)s vào %(target)s.") % {
                "source": merge.source.name, "target": merge.target.name})
            return redirect("unit-merges")
    return render(request, "people/merge_cancel.html", {"merge": merge, "form": form},
                  status=400 if form.errors else 200)
