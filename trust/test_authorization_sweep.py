"""The authorization sweep: every URL route and every API operation with an object id, called by the
personas outside the object's scope, answers exactly as for a missing object, changes nothing and
logs the denial; every id in a request body that names another province's object is refused like a
missing one. Routes are enumerated from Django's resolver and from the OpenAPI document, and the
object of each id comes from one table (trust/objects.py), so a new route is swept as soon as it
exists — and fails until its id is named there, or exempted with a reason.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gandan.api.tests.test_every_operation import leaves, put, resolve, sample
from gandan.fieldwork.testing import JPEG
from gandan.org.testing import make_household, make_unit
from gandan.people.models import Role, RoleGrant
from trust import db
from trust.objects import EXEMPT, IDS, KINDS, MISSING_ID, OTHER_KWARGS

pytestmark = pytest.mark.django_db
PERSONAS = ("commune_b_admin", "other_province_leader", "nobody")
WRITES = ("post", "put", "patch", "delete")


def routes() -> Iterator[tuple[str, str, list[str]]]:
    """(URL name, pattern, parameter names) of every named HTML route; the API has its own document."""
    def walk(patterns: list, prefix: str) -> Iterator[tuple[str, str, list[str]]]:
        for entry in patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, pattern)
            elif isinstance(entry, URLPattern) and not pattern.startswith("api/"):
                names = list(entry.pattern.regex.groupindex)
                yield entry.name or pattern, pattern, names
    yield from walk(get_resolver().url_patterns, "")


def unclassified() -> list[str]:
    """Routes with an id the sweep cannot call: neither named in IDS nor exempted."""
    failures = []
    for name, pattern, params in routes():
        ids = [p for p in params if p not in OTHER_KWARGS]
        if ids and name not in EXEMPT and (name not in IDS or ids != ["pk"]):
            failures.append(f"{name} ({pattern}): unclassified id {ids}: name it in trust/objects.py IDS or EXEMPT")
    return failures


def test_a_new_route_with_an_id_fails_the_sweep_until_it_is_named(settings):
    settings.ROOT_URLCONF = "trust.urls_with_a_new_route"
    assert unclassified() == ["new-thing (new/<int:pk>/): unclassified id ['pk']: name it in trust/objects.py IDS "
                              "or EXEMPT"]


@pytest.fixture
def objects(world) -> dict[str, Any]:
    return {key: kind.make(world) for key, kind in KINDS.items()}


def denials(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "gandan.denials"]


def send(client: Client, method: str, url: str, body: Any) -> Any:
    if isinstance(body, Files):  # a multipart upload: a real picture in each file field
        return client.post(url, {name: SimpleUploadedFile("a.jpg", JPEG, "image/jpeg") for name in body.names})
    data = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return client.generic(method.upper(), url, **data)


def compare(client: Client, method: str, url: str, missing_url: str, body: Any, caplog) -> tuple[list[str], bool]:
    """Problems of one call of `url` (a hidden object) against `missing_url`, and whether it logged a denial."""
    caplog.clear()
    missing = send(client, method, url=missing_url, body=body)
    logged_for_missing = denials(caplog)
    caplog.clear()
    hidden = send(client, method, url=url, body=body)
    logged = bool(denials(caplog))
    label = f"{method.upper()} {url}"
    allowed = {404, 405} if method == "get" else {403, 404, 405}
    problems = []
    if hidden.status_code not in allowed:
        problems.append(f"{label}: {hidden.status_code} for an object outside the scope")
    if hidden.status_code != missing.status_code or hidden.content != missing.content:
        problems.append(f"{label}: {hidden.status_code} {hidden.content[:80]!r} but {missing.status_code} "
                        f"{missing.content[:80]!r} for a missing object")
    if logged_for_missing:
        problems.append(f"{label}: a missing object was logged as a denial")
    return problems, logged


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_with_an_id_answers_an_outsider_as_a_missing_object(world, objects, client, caplog, persona):
    caplog.set_level(logging.WARNING, logger="gandan.denials")
    client.raise_request_exception = False
    client.force_login(getattr(world, persona))
    before, failures, swept = db.digest(), [], 0
    failures += unclassified()
    for name, _pattern, params in routes():
        ids = [p for p in params if p not in OTHER_KWARGS]
        if not ids or name in EXEMPT or name not in IDS or ids != ["pk"]:
            continue
        kind = IDS[name]
        if persona not in KINDS[kind].outsiders:
            continue
        others = {p: OTHER_KWARGS[p] for p in params if p in OTHER_KWARGS}
        url = reverse(name, kwargs={"pk": objects[kind].pk, **others})
        missing_url = reverse(name, kwargs={"pk": MISSING_ID, **others})
        logged_any = False
        for method in ("get", "post"):
            problems, logged = compare(client, method, url, missing_url, None, caplog)
            failures += problems
            logged_any |= logged
        if not logged_any and persona != "nobody":  # without a grant, refused before any lookup
            failures.append(f"{name} ({url}): no denial logged on gandan.denials")
        swept += 1
    assert not failures, "\n".join(failures)
    assert db.changed(before, db.digest()) == []
    assert swept >= 20


@pytest.fixture
def doc(world, client) -> dict:
    client.force_login(world.commune_a_leader)
    return client.get("/api/v1/openapi.json").json()


@dataclass(frozen=True)
class Files:
    names: tuple[str, ...]


def body_of(doc: dict, op: dict, ids: dict[str, int]) -> tuple[dict | None, Any]:
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        schema = resolve(doc, content["multipart/form-data"]["schema"])[0]
        return None, Files(tuple(schema.get("properties", {})))
    schema = content.get("application/json", {}).get("schema")
    return schema, (sample(doc, schema, ids) if schema else None)


def in_scope_ids(objects: dict[str, Any]) -> dict[str, int]:
    return {name: objects[kind].pk for name, kind in IDS.items() if "-" not in name}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_with_an_id_answers_an_outsider_as_a_missing_object(world, objects, doc, caplog,
                                                                                persona):
    caplog.set_level(logging.WARNING, logger="gandan.denials")
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, persona))
    ids = in_scope_ids(objects)
    before, failures, swept = db.digest(), [], 0
    for template, operations in doc["paths"].items():
        for method, op in operations.items():
            for param in [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]:
                if param not in IDS:
                    failures.append(f"{method.upper()} {template}: unclassified path id {param!r}: "
                                    "name it in trust/objects.py IDS")
                    continue
                if persona not in KINDS[IDS[param]].outsiders:
                    continue
                _schema, body = body_of(doc, op, ids)
                url = template.format(**{**ids, param: ids[param]})
                missing_url = template.format(**{**ids, param: MISSING_ID})
                problems, logged = compare(client, method, url, missing_url, body, caplog)
                failures += problems
                if not logged and persona != "nobody":
                    failures.append(f"{method.upper()} {url}: no denial logged on gandan.denials")
                swept += 1
    assert not failures, "\n".join(failures)
    assert db.changed(before, db.digest()) == []
    assert swept >= 30


# Another province's object of each kind an id in a request body may name.
def other_province(world) -> dict[str, int]:
    from gandan.campaigns.testing import make_campaign
    from gandan.fieldwork import meeting_services
    from gandan.org.models import PartyCell
    from gandan.petitions.testing import receive
    from gandan.plans import services as plan_services
    from gandan.plans.testing import make_item, task_in

    village = make_unit("village", "Thôn Khao Mang", world.other_commune, division_type="thôn")
    cell = PartyCell.objects.create(province=world.other_province, unit=village, name="Chi bộ thôn Khao Mang")
    agency = world.cadre_other.agency
    return {"unit": village.pk, "commune": world.other_commune.pk, "province": world.other_province.pk,
            "agency": agency.pk, "cadre": world.cadre_other.pk,
            "household": make_household(village, "Giàng Thị Dế").pk, "party_cell": cell.pk,
            "petition": receive(world, unit=village, actor=world.other_province_leader).pk,
            "meeting": meeting_services.meeting_create(actor=None, unit=world.other_commune, kind="committee",
                                                      date=dt.date(2026, 3, 2)).pk,
            "campaign": make_campaign(world, agency=agency, scope=[(world.other_commune, True)]).pk,
            "catalogue_item": make_item(agency).pk,
            "task": plan_services.task_add(actor=world.other_province_leader,
                                           data=task_in(cadre_id=world.cadre_other.pk))[0].pk}


def same_but_the_id(hidden: Any, missing: Any, hidden_id: int) -> bool:
    """The two answers are alike once the id each echoes (in "no unit 9") is left out."""
    def without(content: bytes, pk: int) -> str:
        try:
            text = json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            text = content.decode(errors="replace")
        return re.sub(rf"(?<!\w){pk}(?!\w)", "<id>", text)

    return (hidden.status_code == missing.status_code
            and without(hidden.content, hidden_id) == without(missing.content, MISSING_ID))


def test_every_id_in_a_request_body_naming_another_provinces_object_is_refused_as_missing(world, objects, doc,
                                                                                          caplog):
    caller = world.department_handler  # every write role over the province: only the body's id is outside
    for role in (Role.COMMITTEE, Role.UNIT_ADMIN, Role.LEADER):
        RoleGrant.objects.create(user=caller, role=role, unit=world.province)
    client = Client(raise_request_exception=False)
    client.force_login(caller)
    ids, foreign = in_scope_ids(objects), other_province(world)
    before, failures, swept = db.digest(), [], 0
    for template, operations in doc["paths"].items():
        for method, op in operations.items():
            schema, body = body_of(doc, op, ids)
            if schema is None:
                continue
            url = template.format(**ids)
            for path, kind in leaves(doc, schema):
                field = next((str(part) for part in reversed(path) if isinstance(part, str)), "")
                if kind != "integer" or not (field.endswith("_id") or field.endswith("_ids")):
                    continue
                label = f"{method.upper()} {template} body {'.'.join(map(str, path))}"
                if field not in IDS or IDS[field] not in foreign:
                    failures.append(f"{label}: unclassified body id {field!r}: name it in trust/objects.py")
                    continue
                hidden_body = put(doc, schema, body, path, foreign[IDS[field]], ids)
                missing_body = put(doc, schema, body, path, MISSING_ID, ids)
                data = {"content_type": "application/json"}
                missing = client.generic(method.upper(), url, json.dumps(missing_body), **data)
                hidden = client.generic(method.upper(), url, json.dumps(hidden_body), **data)
                after = db.digest()
                if db.changed(before, after):
                    failures.append(f"{label}: refused, yet changed {db.changed(before, after)}")
                    before = after
                if not 400 <= hidden.status_code < 500:
                    failures.append(f"{label}: {hidden.status_code} for another province's object")
                elif not same_but_the_id(hidden, missing, foreign[IDS[field]]):
                    failures.append(f"{label}: {hidden.status_code} {hidden.content[:100]!r} but "
                                    f"{missing.status_code} {missing.content[:100]!r} for a missing object")
                swept += 1
    assert not failures, "\n".join(failures)
    assert db.changed(before, db.digest()) == []
    assert swept >= 10


def test_every_write_with_an_id_refuses_a_role_without_the_right_and_changes_nothing(world, objects, doc, client):
    """The commune A viewer sees commune A's objects but may change none: every POST to a page and every
    API write on one of them stores nothing, and none is a server error. (The answer itself varies, and
    may: a read page answers a POST as a GET, a step with an empty form says what is missing.)"""
    client.raise_request_exception = False
    client.force_login(world.commune_a_viewer)
    ids = in_scope_ids(objects)
    calls = []
    for name, _pattern, params in routes():
        if name in IDS and name not in EXEMPT and params and params[0] == "pk":
            others = {p: OTHER_KWARGS[p] for p in params if p in OTHER_KWARGS}
            calls.append(("post", reverse(name, kwargs={"pk": objects[IDS[name]].pk, **others}), None))
    for template, operations in doc["paths"].items():
        for method, op in operations.items():
            if method in WRITES and "{" in template and not template.startswith("/api/v1/tokens"):
                calls.append((method, template.format(**ids), body_of(doc, op, ids)[1]))
    before, failures = db.digest(), []
    for method, url, body in calls:
        response = send(client, method, url, body)
        if response.status_code >= 500 or (url.startswith("/api/") and response.status_code < 400):
            failures.append(f"{method.upper()} {url}: {response.status_code} for a viewer")
        after = db.digest()
        if db.changed(before, after):
            failures.append(f"{method.upper()} {url}: a viewer changed {db.changed(before, after)}")
            before = after
    assert not failures, "\n".join(failures)
    assert len(calls) >= 40
