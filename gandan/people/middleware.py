"""Two steps a signed-in user may have to take before anything else: choose their own password when an
administrator set it, and confirm the login with a code (people/otp.py).

A user whose password an administrator set must choose their own before anything else.

Every page answers with a redirect to the change page (keeping where they were going), except that
page, logging out, the language switch, static files and the health check. The API, called with the
browser session, answers 403 with a sentence; called with a personal token, it refuses the token
(api/auth.py) — a token made before an administrator reset the account must not outlive that reset.

A user who must confirm their login with a code (required by their role, or enrolled by choice) and has
not yet is sent to the code page, or to the enrolment page when they have no authenticator yet; only
those pages, logging out, the language switch, static files and the health check are open. The API,
called with such a session, answers 403 with a sentence; a personal token of a user who must use a
code but has no authenticator is refused (api/auth.py), while a token of an enrolled user is accepted:
it could only be made on the tokens page, behind the code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gandan.people import otp

OTP_OPEN_ROUTES = ("otp-verify", "otp-setup", "logout", "set_language", "javascript-catalog", "health", "csp-report")
OPEN_ROUTES = ("password-change", *OTP_OPEN_ROUTES)


def must_change_message() -> str:
    return _("Mật khẩu của bạn do quản trị đơn vị đặt; hãy đổi mật khẩu trước khi tiếp tục.")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False) \
                and not self._open(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": must_change_message()}, status=403)
            change = reverse("password-change")
            if request.method == "GET":
                change += "?" + urlencode({"next": request.get_full_path()})
            return redirect(change)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return _open(path, OPEN_ROUTES)


def otp_enrol_message() -> str:
    return _("Vai trò của bạn phải đăng nhập hai bước: hãy đăng ký ứng dụng xác thực trên trang web trước.")


def otp_step_message() -> str:
    return _("Hãy xác nhận đăng nhập bằng mã từ ứng dụng xác thực trước khi tiếp tục.")


def _open(path: str, names: tuple[str, ...]) -> bool:
    if path.startswith(settings.STATIC_URL):
        return True
    return any(path == reverse(name) for name in names)


class OtpRequiredMiddleware:
    """After django-otp's OTPMiddleware and PasswordChangeRequiredMiddleware (which leaves these pages
    open): a user with a code step pending reaches only the code and enrolment pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _open(request.path_info, OTP_OPEN_ROUTES):
            return self.get_response(request)
        step = otp.pending_step(request)
        if step is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": otp_step_message()}, status=403)
        target = reverse("otp-setup" if step == "enrol" else "otp-verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
