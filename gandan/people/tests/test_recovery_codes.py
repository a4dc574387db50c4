"""Recovery codes kept as keyed hashes (people/recovery.py): nothing of a code in the database, compared
with every code of the user whatever matches, used once, still right after a key rotation while the
old key is a fallback; and the data migration (people 0005) that hashed the plain codes of django-otp."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gandan.people import otp, recovery
from gandan.people.models import RecoveryCode, RecoveryCodes
from gandan.people.testing import build_world, make_user, otp_enrol


@pytest.mark.django_db
def test_the_database_keeps_no_code_only_its_keyed_hash(world):
    _device, codes = otp_enrol(world.commune_a_leader)
    stored = list(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(stored) == len(set(codes)) == 10
    assert not any(code in digest for code in codes for digest in stored)
    assert sorted(stored) == sorted(recovery.digest(code) for code in codes)
    assert len(stored[0]) == 64 and recovery.digest(codes[0]) != recovery.digest(codes[0], secret="another key")


@pytest.mark.django_db
def test_a_code_is_used_once_typed_in_either_case_with_spaces(world):
    _device, codes = otp_enrol(world.commune_a_leader)
    device = RecoveryCodes.objects.get(user=world.commune_a_leader)
    typed = f" {codes[3][:4].upper()} {codes[3][4:]} "
    assert device.verify_token(typed) and not device.verify_token(codes[3])
    assert otp.recovery_codes_left(world.commune_a_leader) == 9
    assert not device.verify_token("zzzzzzzz") and otp.recovery_codes_left(world.commune_a_leader) == 9


@pytest.mark.django_db
def test_another_users_code_is_not_accepted(world):
    _device, codes = otp_enrol(world.commune_a_leader)
    otp_enrol(world.commune_b_admin)
    assert not RecoveryCodes.objects.get(user=world.commune_b_admin).verify_token(codes[0])


@pytest.mark.django_db
def test_every_code_is_compared_whichever_matches(world, monkeypatch):
    _device, codes = otp_enrol(world.commune_a_leader)
    device = RecoveryCodes.objects.get(user=world.commune_a_leader)
    calls: list[int] = []
    real = recovery.constant_time_compare
    monkeypatch.setattr(recovery, "constant_time_compare", lambda a, b: calls.append(1) or real(a, b))
    assert device.verify_token(codes[0])
    first = len(calls)
    calls.clear()
    assert not device.verify_token("aaaaaaaa")
    assert first == 10 and len(calls) == 9  # all of them each time (one fewer left)


@pytest.mark.django_db
def test_codes_survive_a_key_rotation_while_the_old_key_is_a_fallback(world, settings):
    _device, codes = otp_enrol(world.commune_a_leader)
    device = RecoveryCodes.objects.get(user=world.commune_a_leader)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "k" * 50, [old]
    assert device.verify_token(codes[0])
    settings.SECRET_KEY_FALLBACKS = []
    assert not device.verify_token(codes[1])


@pytest.mark.django_db(transaction=True)  # schema changes cannot run inside the test's transaction
def test_the_migration_hashes_the_plain_codes_and_deletes_them():
    world = build_world()
    executor = MigrationExecutor(connection)
    before = [("people", "0004_signed_in_sessions"), ("otp_static", "0003_add_timestamps")]
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    StaticDevice, StaticToken = old.get_model("otp_static", "StaticDevice"), old.get_model("otp_static", "StaticToken")
    static = StaticDevice.objects.create(user_id=world.commune_a_leader.pk, name="Mã khôi phục", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in ("abcdefgh", "ijklmnop")])
    other = make_user("nobody_else")
    StaticDevice.objects.create(user_id=other.pk, name="Mã khôi phục", confirmed=True)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    device = RecoveryCodes.objects.get(user=world.commune_a_leader)
    assert sorted(device.codes.values_list("digest", flat=True)) == sorted(
        recovery.digest(t) for t in ("abcdefgh", "ijklmnop"))
    assert device.verify_token("ABCD EFGH") and not device.verify_token("abcdefgh")
    assert RecoveryCodes.objects.get(user=other).codes.count() == 0
