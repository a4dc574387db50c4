"""Meetings and their attendance sheet; month locks; the province's checklist topics and quotas, each
change its own POST-only view (topic_save, quota_save, unlock)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.core.collation import vi_order
from gandan.fieldwork import meeting_services, queries, services, setting_services
from gandan.fieldwork.forms import (
    ATTENDANCE_CHOICES,
    AttendanceForm,
    LockForm,
    MeetingForm,
    QuotaForm,
    TopicForm,
    UnlockForm,
)
from gandan.fieldwork.leader_views import scope_units
from gandan.fieldwork.models import AttendanceStatus, ChecklistTopic, MeetingKind
from gandan.org.models import AdminUnit, PartyCell
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Cadre, Role, User
from gandan.people.unit_queries import unit_get


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    qs = queries.meetings_visible(request.user).select_related("unit", "party_cell").order_by("-date", "-id")
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        qs = queries.meetings_at(qs, unit_get(request.user, int(unit_id)))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "fieldwork/meeting_list.html", {"page": page, "units": scope_units(request.user),
                                                           "unit_id": unit_id})


def _meeting_choices(user: User, unit: AdminUnit | None) -> dict[str, list[Any]]:
    units = [u for u in scope_units(user) if scoping.has_role(user, services.RECORD_ROLES, u)]
    if unit is not None and unit not in units:
        units.append(unit)
    cells = list(scoping.filter_by_scope(PartyCell.objects.filter(unit=unit), user, "unit__path")
                 .order_by(vi_order("name"))) \
        if unit is not None else []
    cadres = list(Cadre.objects.filter(unit=unit).active().order_by(vi_order("full_name"))[:300]) \
        if unit is not None else []
    return {"units": units, "cells": cells, "cadres": cadres}


@login_required
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate(), "unit": request.GET.get("unit"),
                                                      "kind": request.GET.get("kind")})
    chosen = form.chosen_unit()
    unit = unit_get(user, chosen) if chosen else None  # 404 outside the scope
    choices = _meeting_choices(user, unit)
    if not choices["units"]:
        raise PermissionDenied(_("Vai trò của bạn chỉ được xem cuộc họp trong phạm vi, không ghi được cuộc họp. "
                                 "Ghi cuộc họp cần vai trò cán bộ, lãnh đạo hoặc quản trị của đơn vị."))
    form.offer(**choices)
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "fieldwork/_meeting_unit_fields.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cell = next((c for c in choices["cells"] if c.pk == data["party_cell"]), None)
        secretary = next((c for c in choices["cadres"] if c.pk == data["secretary"]), None)
        try:
            meeting = meeting_services.meeting_create(actor=user, unit=unit, kind=data["kind"], date=data["date"],  # type: ignore[arg-type]  # the valid form has its unit
                                              title=data["title"], party_cell=cell, secretary=secretary)
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.MonthLocked as exc:
            form.add_error("date", str(exc))
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            return redirect("fieldwork-meeting", pk=meeting.pk)
    return render(request, "fieldwork/meeting_form.html", {"form": form, "kinds": MeetingKind})


@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The attendance sheet: the secretary marks everyone; a cadre marks only themself."""
    user = request.user
    meeting = queries.meeting_get(user, pk)
    for_all = meeting_services.may_record_for_all(user, meeting)
    own = getattr(user, "cadre_id", None)
    form = AttendanceForm(request.POST or None, sheet=queries.attendance_sheet(meeting),
                          markable=lambda cadre: for_all or cadre.pk == own)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.attendance_record(actor=user, meeting=meeting, entries=form.entries())
        except ValidationError as exc:
            _add_errors(form, exc)
        except (PermissionDenied, services.MonthLocked) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu điểm danh."))
            return redirect("fieldwork-meeting", pk=meeting.pk)
    counts = {status: sum(1 for _c, row, _f in form.rows if row and row.status == status)
              for status in AttendanceStatus}
    return render(request, "fieldwork/meeting_detail.html", {
        "meeting": meeting, "form": form, "for_all": for_all, "own": own, "choices": ATTENDANCE_CHOICES,
        "counts": counts, "locked": queries.is_month_locked(meeting.province_id, meeting.date),
    })


def _province_of(user: User) -> AdminUnit:
    roots = scoping.top_units(user)
    if not roots:
        raise Http404
    return roots[0].province or roots[0]


@login_required
def locks(request: AuthenticatedRequest) -> HttpResponse:
    """The month locks of the user's province; POST locks a month (after the confirmation is ticked)."""
    user = request.user
    province = _province_of(user)
    may_lock = scoping.has_role(user, {Role.UNIT_ADMIN}, province)
    form = LockForm(request.POST or None)
    if request.method == "POST":
        if not may_lock:
            raise PermissionDenied
        if form.is_valid():
            month = form.cleaned_data["month"]
            setting_services.month_lock(actor=user, province=province, month=month)
            messages.success(request, _("Đã khóa sổ tháng %(m)s.") % {"m": month.strftime("%m/%Y")})
            return redirect("fieldwork-locks")
    return _locks_page(request, province, form, may_lock)


def _locks_page(request: AuthenticatedRequest, province: AdminUnit, form: LockForm, may_lock: bool,
                unlock_form: UnlockForm | None = None) -> HttpResponse:
    return render(request, "fieldwork/locks.html", {
        "province": province, "locks": queries.month_locks(province.pk), "form": form, "may_lock": may_lock,
        "unlock_form": unlock_form})


@login_required
@require_POST
def unlock(request: AuthenticatedRequest) -> HttpResponse:
    """Reopen a locked month (province administrators)."""
    user = request.user
    province = _province_of(user)
    if not scoping.has_role(user, {Role.UNIT_ADMIN}, province):
        raise PermissionDenied
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return _locks_page(request, province, LockForm(), True, unlock_form=form)
    month = form.cleaned_data["month"]
    setting_services.month_unlock(actor=user, province=province, month=month)
    messages.success(request, _("Đã mở khóa sổ tháng %(m)s.") % {"m": month.strftime("%m/%Y")})
    return redirect("fieldwork-locks")


def _settings_page(request: AuthenticatedRequest, province: AdminUnit, **forms: Any) -> HttpResponse:
    """The province's checklist topics and monthly quotas; `forms` is the one that came back refused."""
    topics = list(ChecklistTopic.objects.filter(province=province)) or queries.topics_for(province.pk)
    rules = queries.quota_rules([province.pk])[province.pk]
    return render(request, "fieldwork/settings.html", {
        "province": province, "topics": topics, "rules": sorted(rules.items()),
        "may_edit": scoping.has_role(request.user, setting_services.SETTINGS_ROLES, province),
        "topic_form": TopicForm(prefix="topic"), "quota_form": QuotaForm(prefix="quota"), **forms,
    })


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    """Administrators and the committee of the province edit them; others read."""
    return _settings_page(request, _province_of(request.user))


def _editable_province(request: AuthenticatedRequest) -> AdminUnit:
    province = _province_of(request.user)
    if not scoping.has_role(request.user, setting_services.SETTINGS_ROLES, province):
        raise PermissionDenied
    return province


@login_required
@require_POST
def topic_save(request: AuthenticatedRequest) -> HttpResponse:
    """Add a checklist topic, or rename or retire one by its code."""
    province = _editable_province(request)
    form = TopicForm(request.POST, prefix="topic")
    if form.is_valid():
        data = form.cleaned_data
        try:
            setting_services.topic_save(actor=request.user, province=province, code=data["code"],
                                        name_vi=data["name_vi"], name_en=data["name_en"],
                                        is_active=data["is_active"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chủ đề."))
            return redirect("fieldwork-settings")
    return _settings_page(request, province, topic_form=form)


@login_required
@require_POST
def quota_save(request: AuthenticatedRequest) -> HttpResponse:
    """Set the monthly quota of one level (and kind of cadre)."""
    province = _editable_province(request)
    form = QuotaForm(request.POST, prefix="quota")
    if form.is_valid():
        data = form.cleaned_data
        try:
            setting_services.quota_save(actor=request.user, province=province, level=data["level"],
                                        employment_type=data["employment_type"], field_days=data["field_days"],
                                        visits=data["visits"], meeting_pct=data["meeting_pct"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("fieldwork-settings")
    return _settings_page(request, province, quota_form=form)
