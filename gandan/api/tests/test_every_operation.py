"""Every operation of the API, walked from its own OpenAPI document, refuses hostile input with a 4xx —
never a 5xx, never a success: a 20-digit number in each integer path parameter, query parameter and
body field, and a NUL in each string. Each request changes one value of an otherwise plausible
request, so that what the schema lets through reaches the services and the database. A new route or
field is covered without a change here."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client

from gandan.assignments.testing import make_assignment
from gandan.campaigns.testing import campaign_ids
from gandan.evaluation.testing import evaluation_ids
from gandan.fieldwork import meeting_services
from gandan.fieldwork.testing import make_visit
from gandan.people.models import Role, RoleGrant
from gandan.people.tokens import token_create
from gandan.petitions import services as petition_services
from gandan.petitions.testing import receive
from gandan.plans.testing import plan_task

pytestmark = pytest.mark.django_db
HUGE = 99999999999999999999  # 20 digits: beyond any bigint
NUL = "x\x00y"
KEY = object()  # in a path: the key of a mapping, not its value
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
# What the sample cannot guess from the schema: a value the service accepts.
WORDS = {("VisitIn", "kind"): "working_visit", ("MeetingIn", "kind"): "committee",
         ("AttendanceEntry", "status"): "present", ("RouteOutIn", "kind"): "complaint",
         ("PetitionIn", "field"): "infrastructure", ("QuotaIn", "level"): "commune",
         ("RuleIO", "agency_level"): "commune", ("RuleIO", "target_level"): "village",
         ("AssessIn", "outcome"): "accepted",
         ("GrantIn", "role"): "viewer", ("GrantIn", "username"): "commune_a_cadre",
         ("OutputIn", "indicator"): "roads_repaired", ("OutputIn", "measure"): "km",
         ("ModelIn", "holder_kind"): "individual", ("ModelIn", "field"): "economy",
         ("DecisionIn", "status"): "recognised", ("DecisionIn", "level"): "commune"}


@pytest.fixture
def caller(world):
    """The department handler, given every write role over the province so that writes reach the services."""
    user = world.department_handler
    for role in (Role.COMMITTEE, Role.UNIT_ADMIN, Role.LEADER):
        RoleGrant.objects.create(user=user, role=role, unit=world.province)
    return user


@pytest.fixture
def ids(world, caller) -> dict[str, int]:
    """A real, visible object for each name an id goes by, in paths and bodies."""
    petition = petition_services.petition_accept(actor=world.commune_a_leader, petition=receive(world))
    meeting = meeting_services.meeting_create(actor=None, unit=world.commune_a, kind="committee",
                                              date=dt.date.today() - dt.timedelta(days=1))
    return {
        "unit_id": world.village_a1.pk, "unit_ids": world.village_a1.pk, "target_id": world.village_a1.pk,
        "province_id": world.province.pk, "agency_id": world.agency_province.pk, "cadre_id": world.cadre_a.pk,
        "secretary_id": world.cadre_a.pk, "household_id": world.household_a1.pk,
        "household_ids": world.household_a1.pk, "party_cell_id": world.party_cell_a.pk,
        "token_id": token_create(actor=caller, name="điện thoại")[0].pk,
        "assignment_id": make_assignment(world.cadre_a, unit=world.village_a2).pk,
        "visit_id": make_visit(world).pk, "meeting_id": meeting.pk, "petition_id": petition.pk,
        "task_id": plan_task(world).pk,
        "grant_id": RoleGrant.objects.get(user=world.commune_a_viewer).pk,
        **campaign_ids(world),
        **evaluation_ids(world),
    }


# -- reading the OpenAPI document -------------------------------------------------------------------
def resolve(doc: dict, schema: dict) -> tuple[dict, str]:
    """The schema itself (through $ref, and the non-null branch of an optional), and its name."""
    name = ""
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = doc["components"]["schemas"][name]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        elif "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            return schema, name


def sample(doc: dict, schema: dict, ids: dict[str, int], owner: str = "", field: str = "") -> Any:
    """A plausible value of `schema`: objects with their required fields only, lists of one."""
    if schema.get("default") is not None:
        return schema["default"]
    schema, name = resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return {key: sample(doc, prop, ids, name, key) for key, prop in schema["properties"].items()
                if key in schema.get("required", [])}
    if kind == "object":
        return {"security": "Ổn định"}
    if kind == "array":
        return [sample(doc, schema["items"], ids, owner, field)]
    if kind == "integer":
        return ids.get(field, 1)
    if kind == "number":  # the smallest the schema allows
        return schema["exclusiveMinimum"] + 1 if "exclusiveMinimum" in schema else schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return YESTERDAY
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if "pattern" in schema:
        return schema["pattern"].strip("^$()").split("|")[0]
    return WORDS.get((owner, field), "x")


def leaves(doc: dict, schema: dict, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every integer and string inside `schema`, as (path, type)."""
    schema, _name = resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        for key, prop in schema["properties"].items():
            yield from leaves(doc, prop, (*path, key))
    elif kind == "object":
        yield (*path, KEY), "string"
        yield from leaves(doc, schema.get("additionalProperties", {}), (*path, "security"))
    elif kind == "array":
        yield from leaves(doc, schema["items"], (*path, 0))
    elif kind in ("integer", "string") and schema.get("format") != "binary":
        yield path, kind


def put(doc: dict, schema: dict, value: Any, path: tuple, hostile: Any, ids: dict[str, int]) -> Any:
    """`value` with `hostile` at `path`, building from the schema what the sample left out."""
    if not path:
        return hostile
    schema, _name = resolve(doc, schema)
    head, rest = path[0], path[1:]
    if schema.get("type") == "array":
        items = list(value or []) or [sample(doc, schema["items"], ids)]
        return [put(doc, schema["items"], items[0], rest, hostile, ids), *items[1:]]
    if "properties" in schema:
        prop = schema["properties"][head]
        current = (value or {}).get(head)
        current = sample(doc, prop, ids, field=head) if current is None and rest else current
        return {**(value or {}), head: put(doc, prop, current, rest, hostile, ids)}
    if head is KEY:
        return {hostile: "Ổn định"}
    return {head: put(doc, schema.get("additionalProperties", {}), None, rest, hostile, ids)}


HOSTILE = {"integer": HUGE, "string": NUL}


def hostile_requests(doc: dict, ids: dict[str, int]) -> Iterator[tuple[str, str, dict, Any, str]]:
    """(method, url, query, body, label) for every hostile value of every operation."""
    for template, operations in doc["paths"].items():
        for method, op in operations.items():
            params = op.get("parameters", [])
            path_ids = {p["name"]: ids[p["name"]] for p in params if p["in"] == "path"}
            required_query = {p["name"]: sample(doc, p["schema"], ids, field=p["name"])
                              for p in params if p["in"] == "query" and p.get("required")}
            content = op.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            body = sample(doc, schema, ids) if schema else None
            label = f"{method.upper()} {template}"
            for p in params:
                kind = resolve(doc, p["schema"])[0].get("type")
                if kind not in HOSTILE:
                    continue
                if p["in"] == "path":
                    url = template.format(**{**path_ids, p["name"]: HUGE})
                    yield method, url, required_query, body, f"{label} path {p['name']}"
                elif p["in"] == "query":
                    query = {**required_query, p["name"]: HOSTILE[kind]}
                    yield method, template.format(**path_ids), query, body, f"{label} query {p['name']}"
            for path, kind in leaves(doc, schema) if schema else []:
                where = ".".join("<key>" if part is KEY else str(part) for part in path)
                yield (method, template.format(**path_ids), required_query,
                       put(doc, schema, body, path, HOSTILE[kind], ids), f"{label} body {where}")


class ServerError(Exception):
    pass


def send(client: Client, method: str, url: str, query: dict, body: Any) -> Any:
    """The response, in a savepoint undone on a 5xx: on PostgreSQL a failed query aborts the test's
    transaction, and every request after it would fail too."""
    target = f"{url}?{urlencode(query)}" if query else url
    data: dict[str, Any] = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    try:
        with transaction.atomic():
            response = client.generic(method.upper(), target, **data)
            if response.status_code >= 500:
                raise ServerError(response)
    except ServerError as failed:
        return failed.args[0]
    return response


def test_every_operation_refuses_huge_numbers_and_nul_characters_with_a_4xx(world, caller, ids, api_as):
    client = api_as(caller)
    client.raise_request_exception = False  # a 500 is listed with the others, not raised
    doc = client.get("/api/v1/openapi.json").json()
    walked, failures = set(), []
    for method, url, query, body, label in hostile_requests(doc, ids):
        walked.add(label.split(" ")[1] + " " + method)
        response = send(client, method, url, query, body)
        if not 400 <= response.status_code < 500:
            failures.append(f"{label}: {response.status_code} {response.content[:160]!r}")
    assert not failures, "\n".join(failures)
    operations = sum(len(ops) for ops in doc["paths"].values())
    assert operations >= 49 and len(walked) >= 40  # every operation that takes an integer or a string


@pytest.mark.parametrize("url", [f"/api/v1/units/{HUGE}", f"/api/v1/units/{HUGE}/", f"/api/v1/petitions/{HUGE}",
                                 f"/api/v1/assignments/{HUGE}"])
def test_a_20_digit_id_in_a_path_is_refused_not_a_server_error(world, api_as, url):
    assert api_as(world.commune_a_leader).get(url).status_code in (404, 422)


def test_a_page_offset_beyond_any_database_integer_is_a_422_naming_it(world, api_as):
    response = api_as(world.commune_a_leader).get("/api/v1/cadres", {"offset": HUGE})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "offset"]]
