"""The request being served, for log lines written far from the view.

Code that sees only a user (the scoped lookups of people/scoping.py) still has to say in the log
where a denial happened; a middleware keeps the current request in a context variable for the
length of the request, and `request_fields` reads the method, path and route from it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("gandan_current_request", default=None)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def request_fields() -> dict[str, str]:
    """method, path and route (the URL pattern, e.g. "units/<int:pk>/") of the request being served;
    "-" for each outside a request (a command, a job)."""
    request = _current.get()
    if request is None:
        return {"method": "-", "path": "-", "route": "-"}
    match = getattr(request, "resolver_match", None)
    return {"method": request.method or "-", "path": request.path, "route": (match.route if match else "") or "-"}
