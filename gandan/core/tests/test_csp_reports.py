"""The endpoint browsers send Content-Security-Policy violations to (core/csp_reports.py): both formats
logged on "gandan.csp" without queries, no login and no CSRF token needed, small bodies only, rate-limited."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from gandan.core import csp_reports

URL = "/csp-report/"
OLD = {"csp-report": {
    "document-uri": "https://gandan.example/petitions/track/?code=PAKN.20260101.08.0001#pin",
    "referrer": "", "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
    "original-policy": "default-src 'self'", "disposition": "enforce", "blocked-uri": "inline",
    "line-number": 91, "source-file": "https://gandan.example/petitions/track/?code=X", "status-code": 200,
    "script-sample": "alert(1)" + "x" * 500,
}}
NEW = [{"type": "csp-violation", "age": 10, "url": "https://gandan.example/", "user_agent": "Chrome",
        "body": {"documentURL": "https://gandan.example/fieldwork/?q=1", "effectiveDirective": "style-src-attr",
                 "blockedURL": "inline", "disposition": "enforce", "lineNumber": 12, "columnNumber": 3,
                 "sample": "", "sourceFile": None, "originalPolicy": "default-src 'self'", "statusCode": 200}},
       {"type": "deprecation", "body": {"id": "x"}}]


def violations(caplog) -> list[dict]:
    return [r.csp for r in caplog.records if r.name == "gandan.csp"]


@pytest.fixture
def reports(caplog):
    caplog.set_level(logging.WARNING, logger="gandan.csp")
    return Client(enforce_csrf_checks=True)


def test_a_report_uri_report_is_logged_without_the_query_and_cut_short(db, reports, caplog):
    response = reports.post(URL, json.dumps(OLD), content_type="application/csp-report")
    assert response.status_code == 204 and response.content == b""
    [logged] = violations(caplog)
    assert logged["documentURL"] == logged["sourceFile"] == "https://gandan.example/petitions/track/"
    assert logged["effectiveDirective"] == "script-src-elem" and logged["blockedURL"] == "inline"
    assert logged["lineNumber"] == 91 and len(logged["sample"]) == csp_reports.MAX_VALUE
    assert "PAKN" not in caplog.text and "#pin" not in caplog.text


def test_a_reporting_api_batch_logs_its_csp_violations_only(db, reports, caplog):
    response = reports.post(URL, json.dumps(NEW), content_type="application/reports+json")
    assert response.status_code == 204
    [logged] = violations(caplog)
    assert logged == {"documentURL": "https://gandan.example/fieldwork/", "effectiveDirective": "style-src-attr",
                      "blockedURL": "inline", "sourceFile": None, "lineNumber": 12, "columnNumber": 3,
                      "disposition": "enforce", "sample": ""}


def test_the_older_format_names_the_violated_directive_when_no_effective_one(db, reports, caplog):
    body = {"csp-report": {"violated-directive": "img-src", "blocked-uri": "https://elsewhere.example/a.png?x=1"}}
    assert reports.post(URL, json.dumps(body), content_type="application/csp-report").status_code == 204
    [logged] = violations(caplog)
    assert logged["effectiveDirective"] == "img-src" and logged["blockedURL"] == "https://elsewhere.example/a.png"


@pytest.mark.parametrize("body", ["not json", "{}", "[]", '[{"type": "csp-violation"}]', '"text"'])
def test_what_is_no_report_is_refused_and_logs_nothing(db, reports, caplog, body):
    assert reports.post(URL, body, content_type="application/csp-report").status_code == 400
    assert violations(caplog) == []


def test_only_posts_and_only_small_bodies(db, reports, caplog):
    assert reports.get(URL).status_code == 405
    big = json.dumps({"csp-report": {"script-sample": "x" * (csp_reports.MAX_BODY + 1)}})
    assert reports.post(URL, big, content_type="application/csp-report").status_code == 413
    assert violations(caplog) == []


def test_a_signed_in_user_who_must_change_the_password_still_reports(world, reports, caplog):
    world.commune_a_cadre.must_change_password = True
    world.commune_a_cadre.save()
    reports.force_login(world.commune_a_cadre)
    assert reports.post(URL, json.dumps(OLD), content_type="application/csp-report").status_code == 204
    assert len(violations(caplog)) == 1


def test_reports_are_rate_limited_per_address_in_a_window(db, reports, caplog, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC), tick=False)
    body = json.dumps(OLD)
    codes = [reports.post(URL, body, content_type="application/csp-report").status_code
             for _ in range(csp_reports.LIMIT + 1)]
    assert codes == [204] * csp_reports.LIMIT + [429]
    assert len(violations(caplog)) == csp_reports.LIMIT
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(URL, body, content_type="application/csp-report").status_code == 204
    time_machine.move_to(dt.datetime(2026, 1, 1, 8, 1, 1, tzinfo=dt.UTC), tick=False)
    assert reports.post(URL, body, content_type="application/csp-report").status_code == 204


def test_the_route_is_the_one_the_policy_names():
    assert reverse("csp-report") == URL
