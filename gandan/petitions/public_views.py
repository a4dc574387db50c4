"""Public pages (no login): file a concern, track it by its code, rate the answer.

They never show anyone's personal data: no citizen name, phone or household, no cadre's name, no
note written by a handler except the answer and the reason a complaint was routed out (both
written knowing they are public). Abuse is held off without a CAPTCHA: a honeypot field, a
minimum fill time signed into the form, and per-address limits (gandan/core/ratelimit.py).

The rating PIN (a million values) is guarded per concern and per address, counting wrong PINs only: a
concern's PIN allows a few wrong tries, then waits that double up to an hour (a few dozen tries a day at
most); an address may make many wrong tries over many concerns (a reception kiosk, a carrier's shared
address) before it is stopped for the hour. A right PIN is never what locks anyone out.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gandan.core.collation import vi_order
from gandan.core.ratelimit import Backoff, backoff_failed, backoff_wait, failure_counted, failures_used_up, over_limit
from gandan.org.models import AdminUnit
from gandan.petitions import config, queries, services, states
from gandan.petitions.forms import PublicForm
from gandan.petitions.models import Attachment, Channel, Petition

FILE_LIMIT = 10  # public form submissions per IP per hour
PIN_BACKOFF = Backoff(free=3, first=60, longest=3600, forget_after=86400)  # wrong PINs of one concern
CLIENT_PIN_FAILURES = 30  # wrong PINs per address per hour, over every concern
WINDOW = 3600
PUBLIC_ACTIONS = {"receive", "accept", "handle", "escalate", "auto_escalate", "transfer", "answer",
                  "rate_satisfied", "rate_unsatisfied", "route_out", "merge"}


@never_cache
@require_http_methods(["GET", "POST"])
def public_new(request: HttpRequest) -> HttpResponse:
    form = PublicForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST":
        if over_limit(request, group="petitions-file", limit=FILE_LIMIT, window=WINDOW):
            form.add_error(None, _("Bạn đã gửi quá nhiều phản ánh trong một giờ; hãy thử lại sau."))
            return render(request, "petitions/public_new.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                petition = services.petition_receive(
                    actor=None, unit=form.place(), text=data["text"], field=data["field"], urgency=data["urgency"],  # type: ignore[arg-type]  # the valid form has its commune
                    channel=Channel.PUBLIC, citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
                    anonymous=data["anonymous"], files=data["files"])
            except ValidationError as exc:
                for name, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():  # type: ignore[dict-item]  # None: the whole form
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                return render(request, "petitions/public_sent.html", {"p": petition})
        return render(request, "petitions/public_new.html", {"form": form}, status=400)
    return render(request, "petitions/public_new.html", {"form": form})


@require_GET
def public_units(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the units directly below `parent` (communes of a province, villages of a
    commune). Unit names are public."""
    parent = request.GET.get("commune") or request.GET.get("province") or request.GET.get("parent") or ""
    rows = AdminUnit.objects.current().filter(parent_id=int(parent)).order_by(vi_order("name")) if parent.isdigit() \
        else AdminUnit.objects.none()
    return render(request, "petitions/_unit_options.html", {"rows": rows})


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        petition = queries.petition_by_code(code)
        if petition is not None:
            return redirect("petitions-track", code=petition.code)
        return render(request, "petitions/track_lookup.html", {"code": code, "missing": True}, status=404)
    return render(request, "petitions/track_lookup.html", {})


def _public_context(petition, **extra) -> dict:
    events = [e for e in petition.events.select_related("to_unit", "to_agency") if e.action in PUBLIC_ACTIONS]
    answers = list(petition.answers.select_related("unit", "agency", "rating").prefetch_related("documents"))
    return {"p": petition, "events": events, "answers": answers, "field_label": config.field_label(
        petition.province, petition.field), "holder": (petition.holder_agency or petition.holder_unit).name,
        "can_rate": petition.status == states.ANSWERED, "is_final": petition.status in states.FINAL,
        "errors": {}, **extra}


def _wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Mã xác nhận của phản ánh này đã bị nhập sai nhiều lần; hãy thử lại sau %(minutes)d phút.",
                    "Mã xác nhận của phản ánh này đã bị nhập sai nhiều lần; hãy thử lại sau %(minutes)d phút.",
                    minutes) % {"minutes": minutes}


def _pin_refusal(request: HttpRequest, petition: Petition) -> str:
    """Why a rating is not tried now ("" when it is): this concern's PIN, or this address, failed too often."""
    wait = backoff_wait(request, group="petitions-pin", key=str(petition.pk), backoff=PIN_BACKOFF)
    if wait:
        return _wait_message(wait)
    if failures_used_up(request, group="petitions-pin-client", limit=CLIENT_PIN_FAILURES, window=WINDOW):
        return _("Địa chỉ mạng này đã nhập sai mã xác nhận quá nhiều lần trong một giờ; hãy thử lại sau.")
    return ""


def _pin_failed(request: HttpRequest, petition: Petition) -> list[str]:
    """Count a wrong PIN for the concern and the address; the wait it now imposes, if any, to show."""
    failure_counted(request, group="petitions-pin-client", limit=CLIENT_PIN_FAILURES, window=WINDOW)
    wait = backoff_failed(request, group="petitions-pin", key=str(petition.pk), backoff=PIN_BACKOFF)
    return [_wait_message(wait)] if wait else []


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's page: status, who holds it now, dates, the answer; rating with the PIN."""
    petition = queries.petition_by_code(code)
    if petition is None:
        raise Http404(_("Không tìm thấy"))
    if request.method == "POST":
        refusal = _pin_refusal(request, petition)
        if refusal:
            return render(request, "petitions/track.html", _public_context(
                petition, errors={"pin": [refusal]}, posted=request.POST), status=429)
        choice = request.POST.get("satisfied", "")
        if choice not in ("yes", "no"):
            return render(request, "petitions/track.html", _public_context(
                petition, errors={"satisfied": [_("Hãy chọn hài lòng hoặc chưa hài lòng.")]},
                posted=request.POST), status=400)
        try:
            services.petition_rate(actor=None, petition=petition, satisfied=choice == "yes",
                                   comment=request.POST.get("comment", ""), pin=request.POST.get("pin", ""))
        except ValidationError as exc:
            errors = exc.message_dict
            if "pin" in errors:
                errors["pin"] += _pin_failed(request, petition)
            return render(request, "petitions/track.html", _public_context(
                petition, errors=errors, posted=request.POST), status=400)
        except services.Conflict as exc:
            return render(request, "petitions/track.html", _public_context(
                queries.petition_by_code(code), errors={"general": [str(exc)]}), status=409)
        return redirect(reverse("petitions-track", kwargs={"code": petition.code}) + "?rated=1")
    return render(request, "petitions/track.html", _public_context(petition, rated=request.GET.get("rated") == "1"))


@require_GET
def track_document(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A document of an answer (public like the answer); a citizen's own files are never served here."""
    petition = queries.petition_by_code(code)
    if petition is None:
        raise Http404(_("Không tìm thấy"))
    row = get_object_or_404(Attachment, pk=pk, petition=petition, answer__isnull=False)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type)

