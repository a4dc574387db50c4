"""Personal tokens and Open311 keys are the one core.ApiKey: the same columns, hashing, revocation and
"last used"; each kind opens only its own door."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from gandan.core.models import ApiKey, AuditEvent
from gandan.people.tokens import token_create, token_revoke
from gandan.petitions import keys
from gandan.petitions.models import Petition

pytestmark = pytest.mark.django_db
OPEN311 = "/petitions/open311/v2/requests.json"
UNIT = "/api/v1/units/{}"


def file_concern(world, api_key: str):
    return Client().post(OPEN311, {"api_key": api_key, "service_code": "land", "address_id": world.village_a1.code,
                                   "description": "Sạt lở taluy"})


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_personal_token_and_an_open311_key_are_rows_of_the_one_key_model(world):
    token, token_secret = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client_key, client_secret = keys.key_create(actor=None, province=world.province, name="FixMyStreet VN")

    rows = {row.kind: row for row in ApiKey.objects.all()}
    assert set(rows) == {"personal", "open311"} and ApiKey.objects.count() == 2
    assert rows["personal"] == token and rows["open311"] == client_key
    assert (token.user, token.scopes, token.prefix) == (world.commune_a_leader, ["api"], token_secret[:10])
    assert (client_key.user, client_key.scopes, client_key.prefix) == (None, ["create_request"], client_secret[:12])
    assert client_key.open311_client.province == world.province
    for row, secret in ((token, token_secret), (client_key, client_secret)):
        assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert {e.action for e in AuditEvent.objects.filter(object_type="core.apikey")} == {
        "api_token.create", "open311_key.create"}


def test_each_kind_opens_only_its_own_door(world):
    _token, token_secret = token_create(actor=world.commune_a_leader, name="Điện thoại")
    _key, client_secret = keys.key_create(actor=None, province=world.province, name="FixMyStreet VN")
    assert file_concern(world, token_secret).status_code == 403
    assert bearer(client_secret).get(UNIT.format(world.commune_a.pk)).status_code == 401
    assert Petition.objects.count() == 0
    assert bearer(token_secret).get(UNIT.format(world.commune_a.pk)).status_code == 200
    assert file_concern(world, client_secret).status_code == 200 and Petition.objects.count() == 1


def test_both_kinds_note_when_they_were_last_used(world):
    token, token_secret = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client_key, client_secret = keys.key_create(actor=None, province=world.province, name="FixMyStreet VN")
    bearer(token_secret).get(UNIT.format(world.commune_a.pk))
    file_concern(world, client_secret)
    token.refresh_from_db()
    client_key.refresh_from_db()
    assert token.last_used_at is not None and client_key.last_used_at is not None


def test_a_revoked_key_of_either_kind_is_refused(world):
    token, token_secret = token_create(actor=world.commune_a_leader, name="Điện thoại")
    client_key, client_secret = keys.key_create(actor=None, province=world.province, name="FixMyStreet VN")
    token_revoke(actor=world.commune_a_leader, token=token)
    keys.key_revoke(actor=None, key=client_key)

    assert bearer(token_secret).get(UNIT.format(world.commune_a.pk)).status_code == 401
    assert file_concern(world, client_secret).status_code == 403 and Petition.objects.count() == 0
    token.refresh_from_db()
    client_key.refresh_from_db()
    assert token.revoked_by == world.commune_a_leader and client_key.revoked_by is None
    assert token.last_used_at is None and client_key.last_used_at is None
    revoke = AuditEvent.objects.get(action="open311_key.revoke")
    assert revoke.province_id == world.province.pk and revoke.object_id == str(client_key.pk)
