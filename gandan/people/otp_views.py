"""The pages of the two-step sign-in (people/otp.py): the code asked after the password, enrolling an
authenticator (QR code drawn as SVG on the server, and the secret as text) with its recovery codes
shown once, and a unit administrator's reset of another account's authenticator.

Wrong codes are held off through core/ratelimit.py: per account (a back-off, whoever tries: a few
free, then waits that double up to an hour) and per address (every request of these pages).
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gandan.core import ratelimit
from gandan.people import enrolment_codes, otp, scoping
from gandan.people.http import AuthenticatedRequest

CODE_BACKOFF = ratelimit.Backoff(free=5, first=60, longest=3600, forget_after=86400)  # wrong codes per account
PAGE_LIMIT = {"limit": 60, "window": 15 * 60}  # requests of these pages per address


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _limited(request: HttpRequest) -> HttpResponse | None:
    if ratelimit.over_limit(request, group="otp-pages", **PAGE_LIMIT):
        return ratelimit.refused(request, retry_after=PAGE_LIMIT["window"])
    return None


def _waiting(request: AuthenticatedRequest, template: str, context: dict[str, Any]) -> HttpResponse | None:
    """The 429 of an account whose wrong codes are being held off, on the page itself."""
    wait = ratelimit.backoff_wait(request, group="otp-code", key=str(request.user.pk), backoff=CODE_BACKOFF)
    if not wait:
        return None
    response = render(request, template, {**context, "error": ratelimit.retry_message(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _wrong(request: AuthenticatedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    ratelimit.backoff_failed(request, group="otp-code", key=str(request.user.pk), backoff=CODE_BACKOFF)
    return render(request, template, {**context, "error": _("Mã không đúng hoặc đã hết hạn. Hãy thử lại.")},
                  status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The login's second step: a code of the authenticator, or a recovery code."""
    refused = _limited(request)
    if refused:
        return refused
    step = otp.pending_step(request)
    if step is None:
        return redirect(_next(request))
    if step == "enrol" or not otp.enrolled(request.user):
        if otp.otp_required(request.user):
            return redirect(_step_url("otp-setup", request))
        request.session.pop(otp.ENROLLED_KEY, None)  # reset by an administrator: nothing left to ask
        return redirect(_next(request))
    context = {"next": _next(request)}
    if request.method == "POST":
        waiting = _waiting(request, "people/otp_verify.html", context)
        if waiting:
            return waiting
        if not otp.code_check(request=request, code=request.POST.get("code", "")):
            return _wrong(request, "people/otp_verify.html", context)
        return redirect(context["next"])
    return render(request, "people/otp_verify.html", context)


def _step_url(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _qr_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG (segno: pure Python, nothing fetched, no script)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrol an authenticator: scan the QR code (or type the secret), confirm with its first code, then
    note the recovery codes, shown in this response only."""
    refused = _limited(request)
    if refused:
        return refused
    if otp.enrolled(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
        # replacing an authenticator needs the one there is: a stolen password must not be enough
        return redirect(_step_url("otp-verify", request))
    if otp.enrolment_code_needed(request):  # nor is it to bind a first one (people/enrolment_codes.py)
        return _enrolment_code(request)
    device = otp.enrolment_start(user=request.user)
    context = {"next": _next(request), "qr": _qr_svg(device.config_url), "secret": otp.secret_text(device),
               "required": otp.otp_required(request.user), "replacing": otp.enrolled(request.user)}
    if request.method == "POST":
        waiting = _waiting(request, "people/otp_setup.html", context)
        if waiting:
            return waiting
        codes = otp.enrolment_confirm(request=request, device=device, code=request.POST.get("code", ""))
        if codes is None:
            return _wrong(request, "people/otp_setup.html", context)
        return render(request, "people/otp_recovery_codes.html", {"codes": codes, "next": context["next"]})
    return render(request, "people/otp_setup.html", context)


def _enrolment_code(request: AuthenticatedRequest) -> HttpResponse:
    """The enrolment page's first step: the one-time code an administrator of the account issued."""
    template, context = "people/otp_enrolment_code.html", {"next": _next(request)}
    if request.method == "POST":
        waiting = _waiting(request, template, context)
        if waiting:
            return waiting
        if not otp.enrolment_code_give(request=request, code=request.POST.get("enrolment_code", "")):
            return _wrong(request, template, context)
        return redirect(_step_url("otp-setup", request))
    return render(request, template, context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_enrolment_code_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A unit administrator issues a one-time enrolment code for an account they look after (never
    their own): GET asks to confirm, POST shows the code, once."""
    account = scoping.get_visible_or_404(scoping.accounts_administered(request.user).select_related("cadre"),
                                         request.user, pk=pk)
    context: dict[str, Any] = {"account": account, "enrolled": otp.enrolled(account),
                               "hours": settings.GANDAN_OTP_ENROLMENT_HOURS}
    if request.method == "POST":
        context["code"], context["expires_at"] = enrolment_codes.code_issue(actor=request.user, user=account)
    return render(request, "people/otp_enrolment_code_issue.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A unit administrator removes the authenticator of an account they look after (never their own):
    GET asks to confirm, POST removes it; its owner enrols again at their next request."""
    account = scoping.get_visible_or_404(scoping.accounts_administered(request.user).select_related("cadre"),
                                         request.user, pk=pk)
    if request.method == "POST":
        otp.otp_reset(actor=request.user, user=account)
        messages.success(request, _("Đã đặt lại xác thực hai bước của %(u)s: lần đăng nhập tới, người dùng "
                                    "đăng ký lại ứng dụng xác thực.") % {"u": account.username})
        if otp.otp_required(account):  # they will need a code to enrol again
            return redirect("account-otp-enrolment-code", pk=account.pk)
        return redirect("accounts")
    return render(request, "people/otp_reset_confirm.html", {"account": account, "enrolled": otp.enrolled(account)})
