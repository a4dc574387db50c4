"""The Content-Security-Policy's reports: browsers post each violation of the policy
(settings.CONTENT_SECURITY_POLICY) here, and we log it on "gandan.csp" at WARNING, so that a
template that slipped an inline script past the tests, or an injected one, shows in the logs.

Two formats arrive: the older `report-uri` posts {"csp-report": {...}} (application/csp-report),
the Reporting API (`report-to`, its endpoint named in the Reporting-Endpoints header that
`PolicyMiddleware` adds) posts a list of {"type": "csp-violation", "body": {...}}
(application/reports+json). No login (a violation may happen on the public pages), no CSRF token
(browsers send none), a small body, and a rate limit per address, as every public route has.
Only what says where the policy was broken is logged: URLs lose their query and fragment (a
tracking code or a search may sit there), and every value is cut short.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gandan.core import ratelimit

log = logging.getLogger("gandan.csp")

MAX_BODY = 16 * 1024  # one report is well under 2 KB; a batch of the Reporting API a few of them
MAX_REPORTS = 20  # per request: the rest of a batch is dropped
LIMIT, WINDOW = 60, 60  # requests per address per minute
MAX_VALUE = 300
GROUP = "csp"  # the Reporting-Endpoints name that the policy's report-to directive uses

# Report fields, as the Reporting API names them ← as report-uri names them.
FIELDS = {
    "documentURL": "document-uri", "effectiveDirective": "effective-directive",
    "blockedURL": "blocked-uri", "sourceFile": "source-file", "lineNumber": "line-number",
    "columnNumber": "column-number", "disposition": "disposition", "sample": "script-sample",
}
URL_FIELDS = {"documentURL", "blockedURL", "sourceFile"}


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, which also names the report-to group's endpoint for the Reporting API."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        if "Content-Security-Policy" in response and "Reporting-Endpoints" not in response:
            response["Reporting-Endpoints"] = f'{GROUP}="{reverse("csp-report")}"'
        return response


def _short(value: Any, *, url: bool = False) -> str | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    if url and "://" in text:
        parts = urlsplit(text)
        text = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return text[:MAX_VALUE]


def _violations(data: Any) -> list[dict[str, Any]]:
    """The violation bodies of a report in either format, in the Reporting API's names."""
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        old = data["csp-report"]
        body = {new: old.get(name) for new, name in FIELDS.items()}
        if body["effectiveDirective"] is None:
            body["effectiveDirective"] = old.get("violated-directive")
        return [body]
    if isinstance(data, list):
        return [item["body"] for item in data[:MAX_REPORTS] if isinstance(item, dict)
                and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)]
    return []


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if ratelimit.over_limit(request, group="csp-report", limit=LIMIT, window=WINDOW):
        return HttpResponse(status=429)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY or len(request.body) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    violations = _violations(data)
    if not violations:
        return HttpResponse(status=400)
    for body in violations:
        fields = {name: _short(body.get(name), url=name in URL_FIELDS) for name in FIELDS}
        log.warning("csp violation %s", json.dumps(fields, ensure_ascii=False, sort_keys=True), extra={"csp": fields})
    return HttpResponse(status=204)
