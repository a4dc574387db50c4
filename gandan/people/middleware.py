"""A user whose password an administrator set must choose their own before anything else.

Every page answers with a redirect to the change page (keeping where they were going), except that
page, logging out, the language switch, static files and the health check. The API, called with the
browser session, answers 403 with a sentence; called with a personal token, it refuses the token
(api/auth.py) — a token made before an administrator reset the account must not outlive that reset.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

OPEN_ROUTES = ("password-change", "logout", "set_language", "javascript-catalog", "health", "csp-report")


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
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in OPEN_ROUTES)
