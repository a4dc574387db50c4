"""Which pages a cadre's phone keeps for use without a network, said by the server in two headers
that the service worker (fieldwork/static/fieldwork/sw.js) reads on every page it fetches:

- `X-Gandan-User`: who the page was made for (empty when signed out). When it changes, the phone
  drops every page it kept, so that nobody sees another user's copy on a shared phone.
- `X-Gandan-Offline: keep`: this page may be kept and shown offline, with the time it was made.
  Only the pages named in `settings.GANDAN_OFFLINE_PAGES` (URL names: the bottom bar's pages) are
  kept, and only a signed-in user's successful GET of an HTML page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

USER_HEADER = "X-Gandan-User"
KEEP_HEADER = "X-Gandan-Offline"


def kept_offline(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    names = getattr(settings, "GANDAN_OFFLINE_PAGES", ())
    return bool(match and match.view_name in names)


class OfflineCopyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        response[USER_HEADER] = str(user.pk) if signed_in and user is not None else ""
        if signed_in and request.method == "GET" and response.status_code == 200 and kept_offline(request):
            response[KEEP_HEADER] = "keep"
        return response
