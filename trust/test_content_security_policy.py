"""The Content-Security-Policy, as harnesses that cover every future template and route.

(a) Every template file is scanned for what the policy would block: an inline <script> (a script
    element without src, but for JSON data), an on…= handler (htmx's hx-on too), a javascript: URL,
    a style attribute or a <style> element. Each finding fails with its file and line; the small
    behaviours templates need are data- attributes read by core/static/gandan/actions.js.
(b) Every named HTML route without a parameter, called anonymously and as a leader, every error
    page, the API, the service worker and the violation reports' own endpoint answer with the policy
    below, exactly; the browser tests (e2e/test_content_security_policy.py) check that the pages work
    under it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from trust.test_authorization_sweep import routes

GANDAN = Path(settings.BASE_DIR) / "gandan"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "report-uri": "/csp-report/",
    "report-to": "csp",
}

COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
TAG = re.compile(r"<(?P<name>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
HANDLER = re.compile(r"(?:^|\s)(?P<attr>on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
STYLE_ATTR = re.compile(r"(?:^|\s)style\s*=", re.I)
SRC = re.compile(r"(?:^|\s)src\s*=", re.I)
JSON_TYPE = re.compile(r"(?:^|\s)type\s*=\s*[\"']?application/(?:ld\+)?json[\"']?", re.I)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.I)


def _blank(match: re.Match) -> str:
    """A comment's text, gone, its lines kept (so that line numbers still point into the file)."""
    return "\n" * match.group(0).count("\n")


def findings(text: str) -> list[tuple[int, str]]:
    """(line, what) of everything in one template's text that the policy blocks."""
    text = COMMENT.sub(_blank, text)

    def line(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    found = []
    for tag in TAG.finditer(text):
        name, attrs = tag.group("name").lower(), tag.group("attrs")
        if name == "script" and not SRC.search(attrs) and not JSON_TYPE.search(attrs):
            found.append((line(tag.start()), "inline <script> (put it in a static file, values in data- attributes)"))
        if name == "style":
            found.append((line(tag.start()), "<style> element (put the rules in the app's CSS)"))
        for handler in HANDLER.finditer(attrs):
            found.append((line(tag.start() + handler.start("attr") + len(name) + 1),
                          f"{handler.group('attr')}= handler (a data- attribute and a listener in static JS)"))
        if STYLE_ATTR.search(attrs):
            found.append((line(tag.start()), "style attribute (a class in the app's CSS; a bar's width: data-width)"))
    for url in JAVASCRIPT_URL.finditer(text):
        found.append((line(url.start()), "javascript: URL"))
    return sorted(set(found))


def templates() -> list[Path]:
    return sorted(p for p in GANDAN.rglob("*.html") if "templates" in p.relative_to(GANDAN).parts)


def test_the_scan_finds_each_kind_of_inline_code_at_its_line():
    text = "\n".join([
        '{% load static %}<div class="x">',  # 1
        "<script>alert(1)</script>",  # 2
        '<script src="{% static \'a.js\' %}"></script>',  # 3: a file: fine
        '{{ data|json_script:"d" }}<script type="application/json" id="e">{}</script>',  # 4: data: fine
        '<select name="l"\n        onchange="this.form.submit()">',  # 5, 6
        '<a href="javascript:history.back()">',  # 7
        '<p style="width: 3rem">',  # 8
        '<button hx-on:click="go()" data-confirm="on=">',  # 9 (data-confirm's text is no handler)
        "{# <script>in a comment</script> #}<style>p {}</style>",  # 10
        '<form data-onsubmit="x" action="/on/">',  # 11: fine
        "<SCRIPT TYPE='text/javascript'>x()</SCRIPT>",  # 12
    ])
    assert [(n, what.split(" ")[0]) for n, what in findings(text)] == [
        (2, "inline"), (6, "onchange="), (7, "javascript:"), (8, "style"), (9, "hx-on:click="), (10, "<style>"),
        (12, "inline"),
    ]


def test_no_template_has_inline_script_handlers_javascript_urls_or_style_attributes():
    scanned = templates()
    assert len(scanned) > 100 and any(p.name == "base.html" for p in scanned)
    failures = [f"{path.relative_to(settings.BASE_DIR)}:{n}: {what}"
                for path in scanned for n, what in findings(path.read_text(encoding="utf-8"))]
    assert failures == [], "the Content-Security-Policy would block:\n" + "\n".join(failures)


def policy_of(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.status_code} {getattr(response, 'url', '')}: no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = " ".join(value.split())
    return directives


def parameterless_urls() -> list[str]:
    return sorted({reverse(name) for name, _pattern, params in routes() if not params and ":" not in name
                   and not name.endswith("/")})


def test_the_policy_is_the_one_we_mean():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] == reverse("csp-report")
    response = Client().get(reverse("login"))
    assert policy_of(response) == POLICY
    assert response["Reporting-Endpoints"] == f'csp="{reverse("csp-report")}"'
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("persona", [None, "commune_a_leader", "commune_a_cadre"])
def test_every_page_without_a_parameter_answers_with_the_policy(world, persona):
    client = Client(raise_request_exception=False)
    if persona:
        client.force_login(getattr(world, persona))
    urls = parameterless_urls()
    assert reverse("home") in urls and reverse("fieldwork-capture") in urls and len(urls) > 40
    wrong = []
    for url in urls:
        response = client.get(url)
        if response.get("Content-Security-Policy") is None or policy_of(response) != POLICY:
            wrong.append(f"{url} ({response.status_code}): {response.get('Content-Security-Policy')}")
    assert wrong == []


class DatabaseDown:
    def cursor(self):
        raise RuntimeError("the database is down")


def test_errors_the_api_the_worker_and_posts_answer_with_the_policy(world, settings, monkeypatch):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    monkeypatch.setattr("gandan.core.views.connection", DatabaseDown())
    responses = {
        "500": client.get(reverse("health")),
        "404": client.get("/no-such-page/"),
        "403 csrf": client.post(reverse("login"), {"username": "x", "password": "y"}),
        "api 401": client.get("/api/v1/units/roots"),
        "report 400": client.post(reverse("csp-report"), "{}", content_type="application/csp-report"),
    }
    client.force_login(world.commune_a_cadre)
    responses["service worker"] = client.get(reverse("fieldwork-sw"))
    responses["api docs"] = client.get("/api/v1/docs")
    responses["static"] = client.get(settings.STATIC_URL + "gandan/actions.js")
    assert {k: r.status_code for k, r in responses.items()} == {
        "500": 500, "404": 404, "403 csrf": 403, "api 401": 401, "report 400": 400, "service worker": 200,
        "api docs": 200, "static": 200}
    assert {k: policy_of(r) == POLICY for k, r in responses.items()} == dict.fromkeys(responses, True)
