"""Error pages that never show internals: the product's own page for 400, 403, 404, 500 and a
refused form (CSRF), in the user's language, whatever DEBUG says for the 404 of a view.

A 500 gets a short random error id, shown on the page and written with the traceback to the
"gandan.errors" log, so that a person can quote it and an operator can find the one line that
explains it. Calls to the API (mounted under /api/) get JSON in the API's shape ({"detail": …},
plus "error_id" on a 500) even when Django, not django-ninja, answers: an unknown route, a bad
host, a failure in a middleware.

The pages are rendered without the request's context processors: they read nothing from the
database (which may be what failed) and hold nothing that changes from one request to the next,
so that a forbidden object's 404 is byte for byte the 404 of a missing one (DESIGN §3).

Two failures are not the code's fault and say so: the database out of reach (restarting, a broken
connection: django.db's OperationalError and InterfaceError) answers 503 with a Retry-After of a few
seconds and an error id, and a full media disk (core/storage.StorageFull) answers 507: the request
was not carried out and may be sent again as it was.
"""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core.storage import StorageFull

log = logging.getLogger("gandan.errors")
UNAVAILABLE = (OperationalError, InterfaceError)  # the database is out of reach: try again shortly
RETRY_AFTER_SECONDS = 5

API_PREFIX = "/api/"
API_DETAIL = {  # in the language active for the request (Vietnamese unless chosen)
    400: gettext_lazy("Yêu cầu không hợp lệ"),
    403: gettext_lazy("Không có quyền"),
    404: gettext_lazy("Không tìm thấy"),
    500: gettext_lazy("Lỗi máy chủ, hãy báo mã lỗi cho quản trị"),
    503: gettext_lazy("Hệ thống tạm thời gián đoạn, chưa thực hiện yêu cầu; hãy thử lại sau ít giây"),
    507: gettext_lazy("Máy chủ hết chỗ lưu tệp, tệp chưa được lưu; hãy thử lại sau hoặc báo quản trị"),
}


def new_error_id() -> str:
    """Eight characters, easy to read out on the phone: enough to find one error in the logs."""
    return secrets.token_hex(4).upper()


def _username(request: HttpRequest) -> str:
    """The caller's login, or "-": reading it may need the database, which may be what failed."""
    user = getattr(request, "user", None)
    try:
        return user.get_username() if user is not None and user.is_authenticated else "-"
    except Exception:  # the session or the user could not be read
        return "-"


def report_exception(request: HttpRequest, exc: BaseException | None = None, *, status: int = 500) -> str:
    """Write the exception being handled, with its traceback, to the error log; return its id."""
    error_id = new_error_id()
    username = _username(request)
    what = "Server error" if status == 500 else f"Unavailable ({status})"
    log.error("%s %s: %s %s (user %s)", what, error_id, request.method, request.path, username,
              exc_info=exc or True,
              extra={"error_id": error_id, "status_code": status, "request": request, "username": username})
    return error_id


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 (the database out of reach) or 507 (no room for a file): nothing was done, send it again
    later. JSON under /api/, the product's page elsewhere; always an error id and, for 503, Retry-After."""
    status = 507 if isinstance(exc, StorageFull) else 503
    error_id = report_exception(request, exc, status=status)
    if _for_api(request):
        response: HttpResponse = JsonResponse({"detail": str(API_DETAIL[status]), "error_id": error_id},
                                              status=status)
    else:
        try:
            response = _page(f"{status}.html", status, error_id=error_id)
        except Exception:  # the page itself failed: still no internals, still the id
            response = HttpResponse(f"<!doctype html><h1>{API_DETAIL[status]}</h1><p>{_('Mã lỗi')}: {error_id}</p>",
                                    status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return already_logged(response)


def is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (*UNAVAILABLE, StorageFull))


def already_logged(response: HttpResponse) -> HttpResponse:
    """Tell Django not to log this error response again (report_exception wrote it with its id)."""
    response._has_been_logged = True  # type: ignore[attr-defined]  # read by django.utils.log.log_response
    return response


def _for_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _page(template: str, status: int, **context: Any) -> HttpResponse:
    return HttpResponse(loader.get_template(template).render(context), status=status)


def _answer(request: HttpRequest, status: int, template: str, **context: Any) -> HttpResponse:
    if _for_api(request):
        return JsonResponse({"detail": str(API_DETAIL[status])}, status=status)
    return _page(template, status, **context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The reason is shown when the code gave one: our PermissionDenied messages are written for people."""
    reason = exception.args[0] if exception is not None and exception.args else ""
    return _answer(request, 403, "403.html", reason=str(reason) if isinstance(reason, str | Promise) else "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: called while the exception is being handled, with DEBUG off."""
    exc = sys.exc_info()[1]
    if exc is not None and is_unavailable(exc):
        return unavailable(request, exc)
    error_id = report_exception(request)
    if _for_api(request):
        return already_logged(JsonResponse({"detail": str(API_DETAIL[500]), "error_id": error_id}, status=500))
    try:
        response = _page("500.html", 500, error_id=error_id)
    except Exception:  # the page itself failed (templates, URLs): still no internals, still the id
        log.exception("The 500 page of error %s could not be rendered", error_id)
        response = HttpResponse(f"<!doctype html><h1>{_('Hệ thống gặp lỗi')}</h1><p>{_('Mã lỗi')}: {error_id}</p>",
                                status=500)
    return already_logged(response)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without a valid token (stale page, blocked cookies)."""
    return _answer(request, 403, "403_csrf.html")


class NotFoundPageMiddleware:
    """A view's Http404 answers the product's 404 page even with DEBUG on, where Django would show
    its technical page with the path and the view's name: a forbidden object stays indistinguishable
    from a missing one in every mode (the denial log says which it was). Unknown URLs still get
    Django's technical page in DEBUG, with the URL patterns a developer needs."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return page_not_found(request, exception) if isinstance(exception, Http404) else None
