"""The steps on one concern, one view per action: accept, handle, escalate, transfer, answer, route out,
merge, and the rating a cadre records for the citizen.

Each view is POST only and reads its own small form (forms.py); it calls its service with keyword
arguments and the version the page was drawn with, then goes back to the concern's page
(POST/redirect/GET). A refusal draws the page again with the reason and what was typed: 400 for bad
input, 403 for a user who may not act, 409 when someone else acted first; nothing changes in any of
them. A concern outside the user's scope answers 404 exactly like a missing one, before the form is read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.people.http import AuthenticatedRequest
from gandan.petitions import forms, queries, routing, services, states
from gandan.petitions.models import Petition
from gandan.petitions.receipts import keep_pin
from gandan.petitions.views import detail_context

Step = Callable[[AuthenticatedRequest, Petition, dict[str, Any]], str]


def concern_step(action: str, form_class: type[forms.StepForm]) -> Callable[[Step], Callable[..., HttpResponse]]:
    """Turn `step(request, petition, data) -> success message` into the view of `action`: find the concern
    in the user's scope, validate the form, run the step, and redirect or draw the refusal."""

    def decorate(step: Step) -> Callable[..., HttpResponse]:
        @wraps(step)
        def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
            petition = queries.petition_get(request.user, pk)
            form = form_class(request.POST, request.FILES, user=request.user)
            status, conflict = 400, ""
            if form.is_valid():
                try:
                    message = step(request, petition, form.cleaned_data)
                except services.Conflict as exc:
                    petition, status, conflict = queries.petition_get(request.user, pk), 409, str(exc)
                except PermissionDenied as exc:
                    status, conflict = 403, str(exc)
                except ValidationError as exc:
                    forms.attach_errors(form, exc)
                else:
                    messages.success(request, message)
                    return redirect("petitions-detail", pk=pk)
            return render(request, "petitions/detail.html", detail_context(
                request, petition, form=form, action=action, conflict=conflict), status=status)

        return view

    return decorate


@login_required
@require_POST
@concern_step(states.ACCEPT, forms.NoteForm)
def accept(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_accept(actor=request.user, petition=petition, note=data["note"], version=data["version"])
    return _("Đã nhận xử lý phản ánh.")


@login_required
@require_POST
@concern_step(states.HANDLE, forms.NoteForm)
def handle(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_handle(actor=request.user, petition=petition, note=data["note"], version=data["version"])
    return _("Đã chuyển sang đang giải quyết.")


@login_required
@require_POST
@concern_step(states.ESCALATE, forms.NoteForm)
def escalate(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    p = services.petition_escalate(actor=request.user, petition=petition, note=data["note"], version=data["version"])
    return _("Đã chuyển cấp trên: %(holder)s.") % {"holder": (p.holder_agency or p.holder_unit).name}


@login_required
@require_POST
@concern_step(states.TRANSFER, forms.TransferForm)
def transfer(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    p = services.petition_transfer(actor=request.user, petition=petition, note=data["note"],
                                   agency=routing.chosen_department(data["agency"]), version=data["version"])
    return _("Đã chuyển đến %(holder)s.") % {"holder": p.holder_agency.name}  # type: ignore[union-attr]  # transferred to an agency


@login_required
@require_POST
@concern_step(states.ANSWER, forms.AnswerForm)
def answer(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_answer(actor=request.user, petition=petition, text=data["text"], files=data["files"],
                             version=data["version"])
    return _("Đã gửi trả lời; người dân sẽ đánh giá trên trang tra cứu.")


@login_required
@require_POST
@concern_step(states.ROUTE_OUT, forms.RouteOutForm)
def route_out(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_route_out(actor=request.user, petition=petition, kind=data["kind"], reason=data["reason"],
                                version=data["version"])
    return _("Đã chuyển xử lý theo pháp luật khiếu nại, tố cáo.")


@login_required
@require_POST
@concern_step(states.MERGE, forms.MergeForm)
def merge(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    target = services.petition_merge(actor=request.user, source=petition, target=data["target"], note=data["note"],
                                     version=data["version"])
    return _("Đã gộp vào phản ánh %(code)s.") % {"code": target.code}


@login_required
@require_POST
@concern_step("rate", forms.RateForm)
def rate(request: AuthenticatedRequest, petition: Petition, data: dict[str, Any]) -> str:
    evidence = services.RatingEvidence(kind=data["evidence"], files=data["evidence_files"], call_at=data["call_at"],
                                       call_number=data["call_number"], note=data["evidence_note"])
    services.petition_rate(actor=request.user, petition=petition, satisfied=data["satisfied"],
                           comment=data["comment"], evidence=evidence, version=data["version"])
    return _("Đã ghi đánh giá thay người dân, kèm bằng chứng; đánh giá này được đếm riêng.")


@login_required
@require_POST
def pin_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new PIN for the citizen (a concern heard on a visit, or a PIN lost), shown once on the receipt."""
    petition = queries.petition_get(request.user, pk)
    try:
        petition = services.petition_pin_issue(actor=request.user, petition=petition)
    except PermissionDenied as exc:
        return render(request, "petitions/detail.html", detail_context(request, petition, conflict=str(exc)),
                      status=403)
    except services.Conflict as exc:
        return render(request, "petitions/detail.html", detail_context(request, petition, conflict=str(exc)),
                      status=409)
    keep_pin(request, petition)
    return redirect("petitions-receipt", pk=pk)
