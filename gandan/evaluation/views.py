"""The cadre's and the assessor's screens (phone first): my sheets, one sheet with its evidence and the
step 1 or step 2 form, the sheets waiting for my assessment, and the agency's published results.

The step forms carry the sheet's version they were drawn with (`version`); a step sent from a page the
sheet has changed since (someone else's step, the other browser) is refused: the page is drawn again
with the current values and says so, status 409, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.core.concurrency import Stale
from gandan.core.months import add_months
from gandan.evaluation import access, queries, scoring, services
from gandan.evaluation.models import Grade, Sheet, SheetStatus
from gandan.evaluation.rubric import shown_label
from gandan.people.http import AuthenticatedRequest
from gandan.plans.periods import month_bounds, month_of, previous_month
from gandan.plans.task_views import refusal

GRADE_LABELS = dict(Grade.choices)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(request, "evaluation/home.html", {
        "sheets": list(queries.my_sheets(user)[:24]), "waiting": queries.to_assess(user).count(),
        "leads": queries.months_led(user).exists(), "grades": GRADE_LABELS})


def _criteria(sheet: Sheet) -> list[dict[str, Any]]:
    """Each general criterion with its maximum, its evidence, the points of both steps and the reason."""
    rubric = scoring.rubric_rules(sheet.rubric)
    scores = {s.code: s for s in sheet.scores.all()}
    suggested = sheet.evidence.get("suggested") or {}
    return [{"code": c.code, "label": shown_label(c.label), "max": c.max_points, "evidence": c.evidence,
             "suggested": suggested.get(c.code), "score": scores.get(c.code)} for c in rubric.general]


def evidence_links(sheet: Sheet) -> dict[str, str]:
    """Where each evidence figure's records are listed (the pages of the apps that own them)."""
    first, last = month_bounds(sheet.month)
    return {
        "fieldwork": f"{reverse('fieldwork-visits')}?cadre={sheet.cadre_id}&date_from={first:%d/%m/%Y}"
                     f"&date_to={last:%d/%m/%Y}",
        "petitions": f"{reverse('petitions-list')}?held_cadre={sheet.cadre_id}&start={first:%Y-%m-%d}"
                     f"&end={last:%Y-%m-%d}",
        "campaigns": reverse("campaigns-home"),
    }


@login_required
def sheet_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _sheet_page(request, queries.sheet_get(request.user, pk))


def _sheet_page(request: AuthenticatedRequest, sheet: Sheet, status: int = 200, stale: str = "") -> HttpResponse:
    user = request.user
    rubric = scoring.rubric_rules(sheet.rubric)
    score = scoring.sheet_score(sheet, rubric)
    editable = not sheet.agency_month.locked
    tasks = sheet.evidence.get("tasks") or {}
    return render(request, "evaluation/sheet.html", {
        "sheet": sheet, "criteria": _criteria(sheet), "score": score, "rubric": rubric, "tasks": tasks,
        "fieldwork": sheet.evidence.get("fieldwork") or {}, "petitions": sheet.evidence.get("petitions") or {},
        "campaigns": sheet.evidence.get("campaigns") or {}, "links": evidence_links(sheet),
        "grade_label": GRADE_LABELS.get(sheet.grade or sheet.computed_grade, ""),
        "may_self": editable and access.is_self(user, sheet) and sheet.status in (SheetStatus.OPEN,
                                                                                  SheetStatus.SELF_ASSESSED),
        "may_assess": editable and access.may_assess(user, sheet) and sheet.status in (SheetStatus.SELF_ASSESSED,
                                                                                       SheetStatus.ASSESSED),
        "locked": not editable, "statuses": dict(SheetStatus.choices),
        "may_initiatives": editable and sheet.is_leader and (
            access.may_assess(user, sheet) or access.may_conclude(user, sheet.agency_month)),
        "stale": stale,
    }, status=status)


def posted_version(request: AuthenticatedRequest, key: str = "version") -> int | None:
    """The version a form was drawn with; none (a form without it): act on the latest."""
    raw = request.POST.get(key, "").strip()
    return int(raw) if raw.isdigit() else None


def _stale(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The sheet changed since the page was drawn: the page again, with the current values, and why."""
    return _sheet_page(request, queries.sheet_get(request.user, pk), status=409, stale=_(
        "Phiếu vừa được thay đổi (ở trình duyệt khác hoặc bởi người khác) sau khi bạn mở trang, nên chưa ghi gì. "
        "Dưới đây là giá trị hiện tại; hãy xem lại rồi gửi lại."))


def _posted_points(request: AuthenticatedRequest, sheet: Sheet) -> dict[str, str]:
    rubric = scoring.rubric_rules(sheet.rubric)
    return {c.code: request.POST.get(f"p_{c.code}", "").strip() for c in rubric.general}


@login_required
@require_POST
def sheet_self(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = queries.sheet_get(request.user, pk)
    try:
        services.sheet_self_assess(actor=request.user, sheet=sheet, points=_posted_points(request, sheet),
                                   comment=request.POST.get("comment", ""), version=posted_version(request))
    except Stale:
        return _stale(request, pk)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã gửi phiếu tự đánh giá."))
    return redirect("evaluation-sheet", sheet.pk)


@login_required
@require_POST
def sheet_assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = queries.sheet_get(request.user, pk)
    rubric = scoring.rubric_rules(sheet.rubric)
    reasons = {c.code: request.POST.get(f"r_{c.code}", "") for c in rubric.general}
    exceeding: Decimal | None = None
    if request.POST.get("exceeding", "").strip():
        try:
            exceeding = Decimal(request.POST["exceeding"].strip().replace(",", "."))
        except InvalidOperation:
            refusal(request, ValidationError({"exceeding": [_("Số sản phẩm vượt yêu cầu phải là số.")]}))
            return redirect("evaluation-sheet", sheet.pk)
    try:
        services.sheet_assess(actor=request.user, sheet=sheet, points=_posted_points(request, sheet),
                              reasons=reasons, comment=request.POST.get("comment", ""), exceeding=exceeding,
                              version=posted_version(request))
    except Stale:
        return _stale(request, pk)
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã ghi kết quả đánh giá của bạn."))
        return redirect("evaluation-assess")
    return redirect("evaluation-sheet", sheet.pk)


@login_required
@require_POST
def sheet_initiatives(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = queries.sheet_get(request.user, pk)
    try:
        services.sheet_initiatives(actor=request.user, sheet=sheet, initiatives=request.POST.get("initiatives") == "1",
                                   reason=request.POST.get("initiatives_reason", "")[:2000])
    except (ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận sáng kiến."))
    return redirect("evaluation-sheet", sheet.pk)


@login_required
def assess_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "evaluation/assess_list.html", {"sheets": list(queries.to_assess(request.user)[:300])})


def chosen_month(request: AuthenticatedRequest) -> dt.date:
    return month_of(request.GET.get("month", ""), previous_month(timezone.localdate()))


@login_required
def published(request: AuthenticatedRequest) -> HttpResponse:
    month = chosen_month(request)
    return render(request, "evaluation/published.html", {
        "month": month, "result": queries.published_month(request.user, month), "grades": GRADE_LABELS,
        "previous": previous_month(month), "next": add_months(month, 1)})
