"""Schemathesis over the whole OpenAPI document of /api/v1, as a caller with every write role over
the province (a personal token): no answer is a server error, and none breaks the schema it
documents. CI runs a few examples per operation (GANDAN_FUZZ_EXAMPLES, default 5); `make fuzz` runs
1,000 on SQLite and on PostgreSQL. Operations are read from the API object, so a new one is fuzzed
without a change here.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gandan.api.router import api
from gandan.people.models import Role, RoleGrant
from gandan.people.tokens import token_create

EXAMPLES = int(os.environ.get("GANDAN_FUZZ_EXAMPLES", "5"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def token(world) -> str:
    caller = world.department_handler
    for role in (Role.COMMITTEE, Role.UNIT_ADMIN, Role.LEADER):
        RoleGrant.objects.create(user=caller, role=role, unit=world.province)
    return token_create(actor=caller, name="fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 5,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_breaks_its_schema(case, token, wsgi_in_test_transaction,
                                                                 no_site_wide_limit):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance])
