"""Schemathesis over Open311 (GeoReport v2) as this product serves it under /petitions/open311/v2/,
described below since Django, not django-ninja, serves it: no answer is a server error, in JSON or
XML, with or without a valid client key. Example counts as in test_fuzz_api.py."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gandan.petitions import keys
from trust.test_fuzz_api import EXAMPLES

BASE = "/petitions/open311/v2"
FMT = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}}
TEXT: dict[str, Any] = {"type": "string"}
ANSWER = {"default": {"description": "a GeoReport v2 answer or error list"}}


def query(*names: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "query", "schema": TEXT} for name in names]


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Gần Dân Open311 GeoReport v2", "version": "2"},
    "paths": {
        f"{BASE}/discovery.{{fmt}}": {"get": {"parameters": [FMT], "responses": ANSWER}},
        f"{BASE}/services.{{fmt}}": {"get": {"parameters": [FMT, JURISDICTION], "responses": ANSWER}},
        f"{BASE}/services/{{code}}.{{fmt}}": {"get": {"parameters": [
            FMT, JURISDICTION, {"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"}}],
            "responses": ANSWER}},
        f"{BASE}/requests.{{fmt}}": {
            "get": {"parameters": [FMT, JURISDICTION, *query("service_request_id", "service_code", "start_date",
                                                             "end_date", "status")], "responses": ANSWER},
            "post": {"parameters": [FMT], "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                    name: TEXT for name in ("api_key", "jurisdiction_id", "service_code", "lat", "long",
                                            "address_string", "address_id", "description", "first_name",
                                            "last_name", "phone", "media_url", "attribute[urgency]")}}}}},
                "responses": ANSWER}},
        f"{BASE}/requests/{{request_id}}.{{fmt}}": {"get": {"parameters": [
            FMT, JURISDICTION, {"name": "request_id", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,30}$"}}],
            "responses": ANSWER}},
    },
}
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = WSGIHandler()


@pytest.fixture
def api_key(world) -> str:
    from gandan.petitions.testing import receive

    receive(world)  # one concern to find
    return keys.key_create(actor=None, province=world.province, name="Ứng dụng thử")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 5,
          suppress_health_check=list(HealthCheck))
def test_no_open311_endpoint_answers_a_server_error(case, api_key, wsgi_in_test_transaction, no_site_wide_limit):
    if case.method == "POST" and isinstance(case.body, dict) and len(str(case.body.get("api_key", ""))) % 2 == 0:
        case.body["api_key"] = api_key  # half the filings with a valid key, to reach the service
    case.call_and_validate(checks=[not_a_server_error])
