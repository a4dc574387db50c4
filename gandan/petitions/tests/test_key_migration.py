"""The data migrations that move personal tokens (people 0002) and Open311 keys (petitions 0003) into
core.ApiKey: keys handed out before keep working after, and migrating back restores the old rows."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from gandan.core.models import ApiKey
from gandan.people.testing import build_world
from gandan.people.tokens import token_create
from gandan.petitions.models import Petition

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes cannot run inside the test's transaction
BEFORE = [("people", "0001_initial"), ("petitions", "0002_holiday_nationwide")]
TOKEN = "gd_" + "A" * 43  # secrets handed out before the migration, in the old format
REVOKED = "gd_" + "R" * 43
OPEN311 = "o311_" + "B" * 43
CREATED = dt.datetime(2025, 7, 1, 8, 30, tzinfo=dt.UTC)
USED = dt.datetime(2025, 7, 2, 9, 0, tzinfo=dt.UTC)


def migrate(targets=None):
    """Migrate to `targets` (the latest migrations by default); return the models of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def old_rows(apps) -> tuple[list[tuple], list[tuple]]:
    tokens = apps.get_model("people", "ApiToken").objects.order_by("id").values_list(
        "id", "user_id", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    open311 = apps.get_model("petitions", "Open311Key").objects.order_by("id").values_list(
        "province_id", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    return list(tokens), list(open311)


@pytest.fixture
def before_the_move():
    """The world, with the schema migrated back to the old token and key models."""
    world = build_world()
    apps = migrate(BEFORE)
    yield world, apps
    migrate()


def add_old_keys(world, apps) -> None:
    ApiToken = apps.get_model("people", "ApiToken")
    Open311Key = apps.get_model("petitions", "Open311Key")
    leader = world.commune_a_leader.pk
    ApiToken.objects.create(id=41, user_id=leader, name="Điện thoại", prefix=TOKEN[:10], key_hash=sha(TOKEN),
                            last_used_at=USED)
    ApiToken.objects.create(id=42, user_id=leader, name="Máy cũ", prefix=REVOKED[:10], key_hash=sha(REVOKED),
                            revoked_at=USED)
    Open311Key.objects.create(id=7, province_id=world.province.pk, name="FixMyStreet VN", prefix=OPEN311[:12],
                              key_hash=sha(OPEN311))
    ApiToken.objects.update(created_at=CREATED)
    Open311Key.objects.update(created_at=CREATED)


def test_keys_handed_out_before_the_move_keep_working_after_it(before_the_move):
    world, apps = before_the_move
    add_old_keys(world, apps)

    migrate()

    token = ApiKey.objects.get(pk=41)
    assert (token.kind, token.user_id, token.name, token.prefix, token.key_hash, token.scopes) == (
        "personal", world.commune_a_leader.pk, "Điện thoại", TOKEN[:10], sha(TOKEN), ["api"])
    assert (token.created_at, token.last_used_at, token.revoked_at) == (CREATED, USED, None)
    assert ApiKey.objects.get(pk=42).revoked_at == USED
    client_key = ApiKey.objects.get(kind="open311")
    assert (client_key.user, client_key.name, client_key.prefix, client_key.key_hash, client_key.scopes) == (
        None, "FixMyStreet VN", OPEN311[:12], sha(OPEN311), ["create_request"])
    assert client_key.open311_client.province_id == world.province.pk and client_key.created_at == CREATED

    response = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").get(f"/api/v1/units/{world.commune_a.pk}")
    assert response.status_code == 200 and response.json()["name"] == "Xã Nghĩa Thuận"
    assert ApiKey.objects.get(pk=41).last_used_at > USED
    assert Client(HTTP_AUTHORIZATION=f"Bearer {REVOKED}").get(f"/api/v1/units/{world.commune_a.pk}").status_code \
        == 401
    filed = Client().post("/petitions/open311/v2/requests.json", {
        "api_key": OPEN311, "service_code": "land", "address_id": world.village_a1.code, "description": "Sạt lở"})
    assert filed.status_code == 200 and Petition.objects.count() == 1

    fresh, _secret = token_create(actor=world.commune_b_admin, name="Máy mới")  # ids go on after the copied ones
    assert fresh.pk > 42


def test_migrating_back_restores_the_old_rows_and_empties_the_new_model(before_the_move):
    world, apps = before_the_move
    add_old_keys(world, apps)
    tokens, open311 = old_rows(apps)

    migrate()
    assert ApiKey.objects.count() == 3
    restored = migrate(BEFORE)

    assert old_rows(restored) == (tokens, open311)
    assert not ApiKey.objects.exists()  # core 0003 stays applied: its table is there, empty
    assert restored.get_model("people", "ApiToken").objects.create(
        user_id=world.commune_a_leader.pk, name="x", prefix="gd_x", key_hash="0" * 64, created_at=timezone.now()
    ).pk > 42  # the old table's ids go on after the restored ones
