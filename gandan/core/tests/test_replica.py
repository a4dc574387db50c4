"""The database router (core/replica.py): dashboards read the replica, a browser that has just written
reads the primary, identity and transactions always the primary. Two aliases on one test database
(settings: `replica` mirrors `default` in tests), so CI needs no replica."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gandan.core.models import ApiKey, AuditEvent  # AuditEvent: any table but identity's
from gandan.core.replica import PIN_COOKIE, PrimaryReplicaRouter, replica_reads

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(settings):
    settings.GANDAN_READ_REPLICA = "replica"


def test_without_a_replica_every_read_goes_to_the_primary(settings):
    settings.GANDAN_READ_REPLICA = None
    with replica_reads():
        assert router.db_for_read(AuditEvent) is None  # Django's default: the primary


def test_only_marked_reads_go_to_the_replica_and_never_identity(with_replica):
    assert router.db_for_read(AuditEvent) is None
    with replica_reads():
        assert router.db_for_read(AuditEvent) == "replica"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(get_user_model()) == "default"
        assert router.db_for_read(ApiKey) == "default"
    assert router.db_for_read(AuditEvent) is None
    assert router.db_for_write(AuditEvent) == "default"
    assert router.allow_migrate("replica", "core") is False and router.allow_migrate("default", "core")


@pytest.mark.django_db
def test_a_read_inside_a_transaction_reads_the_primary(with_replica):
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(AuditEvent) == "default"


def _queries(client, url):
    with (CaptureQueriesContext(connections["replica"]) as replica,
          CaptureQueriesContext(connections["default"]) as primary):
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in replica], [q["sql"] for q in primary]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_dashboard_reads_the_replica_until_the_browser_writes_then_again_when_the_pin_ends(
        world, client, with_replica):
    client.force_login(world.province_committee)
    dashboard = reverse("reports-dashboard")

    on_replica, on_primary = _queries(client, dashboard)
    assert on_replica, "the dashboard read nothing from the replica"
    assert not any("django_session" in sql or '"people_user"' in sql for sql in on_replica)
    assert any("django_session" in sql for sql in on_primary)

    other_page, _ = _queries(client, reverse("home"))
    assert other_page == []  # not a listed view

    response = client.post(reverse("set_language"), {"language": "vi"})  # any write, or a try at one
    assert float(response.cookies[PIN_COOKIE].value) > time.time()
    on_replica, on_primary = _queries(client, dashboard)
    assert on_replica == [] and on_primary

    client.cookies[PIN_COOKIE] = str(int(time.time()) - 1)  # the pin has ended
    on_replica, _ = _queries(client, dashboard)
    assert on_replica


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_a_replica_a_write_sets_no_pin(world, client, settings):
    settings.GANDAN_READ_REPLICA = None
    client.force_login(world.province_committee)
    response = client.post(reverse("set_language"), {"language": "vi"})
    assert PIN_COOKIE not in response.cookies
    on_replica, _ = _queries(client, reverse("reports-dashboard"))
    assert on_replica == []
