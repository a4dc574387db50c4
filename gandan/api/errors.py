"""One JSON error shape for the API: {"detail": "…"}, in the caller's language (Vietnamese unless chosen).

A missing object and one outside the caller's scope answer the very same 404 body (DESIGN §3),
so the message is a constant and never echoes the exception, even with DEBUG on. Any other
exception answers 500 with {"detail", "error_id"}, the id written with the traceback to the
"gandan.errors" log (core/errors.py), in every mode: never a page, never a traceback. The database
out of reach answers 503 (with Retry-After) and a full media disk 507, with the same body: the call
did nothing and may be sent again as it was.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from gandan.core.errors import API_DETAIL, already_logged, report_exception, unavailable
from gandan.core.storage import StorageFull

NOT_FOUND = gettext_lazy("Không tìm thấy")
UNAUTHORIZED = gettext_lazy("Cần đăng nhập hoặc một khóa API hợp lệ")
FORBIDDEN = gettext_lazy("Không có quyền")


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (after ninja's defaults, which they override)."""

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(request, {"detail": str(UNAUTHORIZED)}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or str(FORBIDDEN)}, status=403)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        detail = [{"loc": ["body", field], "msg": msg, "type": "value_error"}
                  for field, messages in errors.items() for msg in messages]
        return api.create_response(request, {"detail": detail}, status=422)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        error_id = report_exception(request, exc)
        return already_logged(api.create_response(request, {"detail": str(API_DETAIL[500]), "error_id": error_id},
                                                  status=500))

    def out_of_reach(request: HttpRequest, exc: Exception) -> HttpResponse:
        return unavailable(request, exc)

    for failure in (OperationalError, InterfaceError, StorageFull):
        api.add_exception_handler(failure, out_of_reach)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
    api.add_exception_handler(Exception, server_error)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
    api.add_exception_handler(AuthenticationError, unauthorized)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
    api.add_exception_handler(PermissionDenied, forbidden)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
    api.add_exception_handler(ValidationError, invalid)  # type: ignore[arg-type]  # ninja's stub: the handler takes the exception or its class
