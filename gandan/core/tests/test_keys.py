"""API keys (gandan/core/keys.py): one model and one create / verify / revoke for every kind."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.core import keys
from gandan.core.audit import verify_chain
from gandan.core.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db
SAMPLE = keys.KeyKind(code="sample", marker="smp_", shown=8, audit_name="sample_key")
OTHER = keys.KeyKind(code="other", marker="smp_", shown=8, audit_name="other_key")
PROVINCE_ID = 8  # core knows units only by their id


@pytest.fixture
def people(db) -> SimpleNamespace:
    """An owner of keys and an administrator who revokes them."""
    users = get_user_model().objects
    return SimpleNamespace(owner=users.create_user("owner"), admin=users.create_user("admin"))


def create(people, **kwargs) -> tuple[ApiKey, str]:
    options = {"actor": people.owner, "kind": SAMPLE, "name": "Máy chủ thử", "scopes": ["read"]} | kwargs
    return keys.key_create(**options)


def test_a_key_stores_its_prefix_and_hash_never_its_secret(people):
    key, secret = create(people, user=people.owner)
    key.refresh_from_db()
    assert secret.startswith("smp_") and len(secret) == 4 + 43
    assert (key.kind, key.name, key.prefix, key.scopes) == ("sample", "Máy chủ thử", secret[:8], ["read"])
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert key.user == people.owner and key.created_at is not None
    assert (key.last_used_at, key.revoked_at, key.revoked_by) == (None, None, None)
    assert secret not in str(list(ApiKey.objects.values()))


def test_creating_is_audited_without_the_secret(people):
    key, secret = create(people, province_id=PROVINCE_ID, details={"province": PROVINCE_ID})
    event = AuditEvent.objects.get(action="sample_key.create")
    assert (event.actor, event.object_type, event.object_id) == (people.owner, "core.apikey", str(key.pk))
    assert event.province_id == PROVINCE_ID
    assert event.after | {"created_at": None} == {"kind": "sample", "user_id": None, "name": "Máy chủ thử",
                                                  "prefix": key.prefix, "scopes": ["read"], "created_at": None,
                                                  "province": PROVINCE_ID}
    assert secret not in str(event.after) and verify_chain().ok


@pytest.mark.parametrize("name, message", [("", "Hãy đặt tên cho khóa"), ("   ", "Hãy đặt tên cho khóa"),
                                           ("x" * 101, "Tên khóa dài tối đa 100 ký tự.")])
def test_a_key_needs_a_name_of_at_most_100_characters(people, name, message):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        create(people, name=name)
    assert message in refused.value.message_dict["name"][0]
    assert not ApiKey.objects.exists() and AuditEvent.objects.count() == events


def test_the_secret_verifies_as_its_key_for_its_kind_and_scope_only(people):
    key, secret = create(people)
    assert keys.key_verify(secret, kind=SAMPLE, scope="read") == key
    assert keys.key_verify(secret, kind=SAMPLE, scope="write") is None
    assert keys.key_verify(secret, kind=OTHER, scope="read") is None
    for wrong in [secret[:-1] + ("A" if secret[-1] != "A" else "B"), "smp_", "", secret.removeprefix("smp_"),
                  secret + "x" * 200]:
        assert keys.key_verify(wrong, kind=SAMPLE, scope="read") is None


def test_a_revoked_key_is_refused_and_names_who_revoked_it(people):
    key, secret = create(people)
    revoked = keys.key_revoke(actor=people.admin, kind=SAMPLE, key=key)
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == people.admin and not key.is_active
    assert revoked.revoked_at == key.revoked_at
    assert keys.key_verify(secret, kind=SAMPLE, scope="read") is None
    event = AuditEvent.objects.get(action="sample_key.revoke")
    assert (event.actor, event.object_id, event.before) == (people.admin, str(key.pk), {"revoked_at": None})


def test_revoking_twice_changes_nothing_more(people):
    key, _secret = create(people)
    first = keys.key_revoke(actor=people.owner, kind=SAMPLE, key=key).revoked_at
    again = keys.key_revoke(actor=people.admin, kind=SAMPLE, key=key)
    assert again.revoked_at == first and again.revoked_by == people.owner
    assert AuditEvent.objects.filter(action="sample_key.revoke").count() == 1


def test_a_key_of_another_kind_is_not_revoked_as_this_one(people):
    key, _secret = create(people)
    with pytest.raises(ApiKey.DoesNotExist):
        keys.key_revoke(actor=people.owner, kind=OTHER, key=key)
    key.refresh_from_db()
    assert key.revoked_at is None and not AuditEvent.objects.filter(action="other_key.revoke").exists()


def test_a_key_acting_as_a_deactivated_user_is_refused(people):
    _key, secret = create(people, user=people.owner)
    people.owner.is_active = False
    people.owner.save()
    assert keys.key_verify(secret, kind=SAMPLE, scope="read") is None


def test_last_used_is_noted_at_most_once_a_minute(people):
    key, secret = create(people)
    keys.key_verify(secret, kind=SAMPLE, scope="read")
    first = ApiKey.objects.get(pk=key.pk).last_used_at
    assert first is not None
    keys.key_verify(secret, kind=SAMPLE, scope="read")
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first

    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    verified = keys.key_verify(secret, kind=SAMPLE, scope="read")
    assert ApiKey.objects.get(pk=key.pk).last_used_at == verified.last_used_at > first


def test_verifying_brings_the_user_and_the_related_objects_in_one_statement(people, django_assert_num_queries):
    key, secret = create(people, user=people.owner)
    keyless, other_secret = create(people)  # no user: the outer join finds none
    ApiKey.objects.filter(pk__in=[key.pk, keyless.pk]).update(last_used_at=timezone.now())  # nothing to note

    with django_assert_num_queries(2):
        found = keys.key_verify(secret, kind=SAMPLE, scope="read", related=("user__cadre",))
        alone = keys.key_verify(other_secret, kind=SAMPLE, scope="read", related=("user__cadre",))
        assert found is not None and alone is not None
        assert found == key and found.user == people.owner and found.user.cadre is None
        assert found.scopes == ["read"] and found.last_used_at is not None and found.user.is_active
        assert alone == keyless and alone.user is None
    assert found.user.password == people.owner.password and found._state.adding is False
