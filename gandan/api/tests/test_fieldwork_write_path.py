"""The write path of a visit through the API: how many statements a create and a retry run
(a count, not a time: CI never fails on speed; bench/ measures the time)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandan.fieldwork.models import Visit
from gandan.fieldwork.testing import body

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/visits"


def post(client, data):
    return client.post(API, json.dumps(data), content_type="application/json")


def statements(client, data) -> tuple[object, list[str]]:
    """The statements a call runs, without the SAVEPOINT/RELEASE pair that exists only because a test
    runs inside a transaction (in production the service's atomic block is the outermost one)."""
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, data)
    return response, [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_creating_a_visit_runs_at_most_eight_statements(world, bearer):
    client = bearer(world.commune_a_cadre)
    post(client, body(world))  # the first call of a process fills its caches (grants, topics, locks)

    response, sql = statements(client, body(world, household_ids=[world.household_a1.pk]))

    assert response.status_code == 201, response.content
    # The token with its user and cadre; the write context; the visit and its two links; the audit
    # chain's head (with its lock, on PostgreSQL) and the audit row. No read-back.
    assert len(sql) <= 8, "\n".join(sql)
    assert not any(s.startswith("SELECT") for s in sql[2:] if "core_auditevent" not in s and "audit_head" not in s)
    visit = Visit.objects.get(pk=response.json()["id"])
    assert response.json()["household_ids"] == [world.household_a1.pk] and response.json()["photos"] == []
    assert response.json()["unit_ids"] == [world.household_a1.village_id] and visit.cadre == world.cadre_a
    assert response.json()["cadre_name"] == world.cadre_a.full_name


def test_a_retry_reads_the_stored_visit_and_writes_nothing(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world)
    first = post(client, data)

    response, sql = statements(client, data)

    assert response.status_code == 200 and response.json() == first.json()
    assert len(sql) <= 6 and all(s.lstrip("(").startswith("SELECT") for s in sql), "\n".join(sql)


def test_the_answer_of_a_create_equals_what_a_read_gives(world, bearer):
    client = bearer(world.commune_a_cadre)
    created = post(client, body(world, household_ids=[world.household_a1.pk]))

    assert created.status_code == 201
    assert client.get(f"{API}/{created.json()['id']}").json() == created.json()
