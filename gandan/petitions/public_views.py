"""Public pages (no login): the landing page (`/` for visitors), file a concern, its confirmation and
receipt, track it by its code, rate the answer, reopen it when the problem comes back.

Filing is POST/redirect/GET with a one-time token signed into the form: the POST files the concern and
redirects to its confirmation, so reloading the confirmation files nothing, and the same token posted
again (back button, double tap) finds the concern it filed instead of filing another. The PIN is put
in the session by the POST and taken out by the confirmation, the one response that shows it (with
the printable receipt): a reload shows the receipt without it.

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
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
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
from gandan.petitions.receipts import keep_pin, receipt_context, take_pin

View = Callable[..., HttpResponse]

FILE_LIMIT = 10  # public form submissions per IP per hour
PIN_BACKOFF = Backoff(free=3, first=60, longest=3600, forget_after=86400)  # wrong PINs of one concern
CLIENT_PIN_FAILURES = 30  # wrong PINs per address per hour, over every concern
WINDOW = 3600
PUBLIC_ACTIONS = {"receive", "accept", "handle", "escalate", "auto_escalate", "transfer", "answer",
                  "rate_satisfied", "rate_unsatisfied", "route_out", "merge", "reopen", "pin_issue"}
DUPLICATE_LIMIT = 240  # duplicate checks per IP per hour (one per pause in typing)
FILED_KEY = "petitions_filed"  # codes filed in this browser session: their confirmation pages


def landing(request: HttpRequest) -> HttpResponse:
    """The public's way in: file a concern, follow one, find my cadre; and the cadres' login."""
    return render(request, "petitions/landing.html", {})


def public_or(signed_in: View) -> View:
    """`/`: the landing page for visitors, `signed_in` (the home page) for users who are logged in."""

    def view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            return signed_in(request, *args, **kwargs)
        return landing(request)

    view.__doc__ = public_or.__doc__
    return view


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
            filed = Petition.objects.filter(channel=Channel.PUBLIC, source_ref=data["token"]).first()
            if filed is not None:  # this form was sent already: show what it filed, file nothing
                return _confirmed(request, filed)
            try:
                petition = services.petition_receive(
                    actor=None, unit=form.place(), text=data["text"], field=data["field"], urgency=data["urgency"],  # type: ignore[arg-type]  # the valid form has its commune
                    channel=Channel.PUBLIC, citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
                    anonymous=data["anonymous"], files=data["files"], source_ref=data["token"])
            except ValidationError as exc:
                for name, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():  # type: ignore[dict-item]  # None: the whole form
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                keep_pin(request, petition)
                return _confirmed(request, petition)
        return render(request, "petitions/public_new.html", {"form": form}, status=400)
    return render(request, "petitions/public_new.html", {"form": form})


def _confirmed(request: HttpRequest, petition: Petition) -> HttpResponse:
    filed = list(request.session.get(FILED_KEY, []))
    if petition.code not in filed:
        request.session[FILED_KEY] = (filed + [petition.code])[-20:]
    return redirect("petitions-public-sent", code=petition.code, permanent=False)


@never_cache
@require_GET
def public_sent(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation of a concern filed in this browser: its printable receipt, with the PIN the first
    time only. Any other visitor is sent to the public tracking page."""
    petition = queries.petition_by_code(code)
    if petition is None or petition.code not in request.session.get(FILED_KEY, []):
        if petition is None:
            raise Http404(_("Không tìm thấy phản ánh."))
        return redirect("petitions-track", code=petition.code)
    return render(request, "petitions/public_sent.html", receipt_context(petition, take_pin(request, petition)))


@require_GET
def public_duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: concerns already filed at the chosen place that look like the one being typed — the staff
    form's query (queries.duplicate_candidates); only their code, field, status and date are shown."""
    if over_limit(request, group="petitions-duplicates", limit=DUPLICATE_LIMIT, window=WINDOW):
        return HttpResponse("")
    raw = request.GET.get("village") or request.GET.get("commune") or ""
    unit = AdminUnit.objects.current().select_related("level", "province").filter(pk=int(raw)).first() \
        if raw.isdigit() and len(raw) < 19 else None
    text = request.GET.get("text", "")[:4000]
    candidates = queries.duplicate_candidates(unit=unit, text=text) if unit and len(text.strip()) >= 10 else []
    labels = config.field_labels(unit.province or unit) if unit else {}
    return render(request, "petitions/_public_duplicates.html", {"candidates": candidates, "labels": labels})


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
        "reopen_until": _reopen_until(petition), "errors": {}, **extra}


def _reopen_until(petition: Petition) -> object:
    until = services.reopen_deadline(petition)
    return until if until is not None and timezone.now() <= until else None


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
        if request.POST.get("action") == "reopen":
            return _reopen(request, petition)
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
    return render(request, "petitions/track.html", _public_context(
        petition, rated=request.GET.get("rated") == "1", reopened=request.GET.get("reopened") == "1"))


def _reopen(request: HttpRequest, petition: Petition) -> HttpResponse:
    """The citizen reopens the closed concern with its PIN (wrong PINs count like a rating's)."""
    try:
        services.petition_reopen(petition=petition, pin=request.POST.get("pin", ""),
                                 reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        errors = exc.message_dict
        if "pin" in errors:
            errors["pin"] += _pin_failed(request, petition)
        return render(request, "petitions/track.html", _public_context(
            petition, errors=errors, posted=request.POST, reopening=True), status=400)
    except services.Conflict as exc:
        return render(request, "petitions/track.html", _public_context(
            queries.petition_by_code(petition.code), errors={"general": [str(exc)]}), status=409)
    return redirect(reverse("petitions-track", kwargs={"code": petition.code}) + "?reopened=1")


@require_GET
def track_document(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A document of an answer (public like the answer); a citizen's own files are never served here."""
    petition = queries.petition_by_code(code)
    if petition is None:
        raise Http404(_("Không tìm thấy"))
    row = get_object_or_404(Attachment, pk=pk, petition=petition, answer__isnull=False)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type)

