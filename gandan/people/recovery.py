"""Recovery codes of the two-step sign-in (people/otp.py), kept as keyed hashes.

A code is 8 base32 characters (40 random bits, django-otp's `StaticToken.random_token`). What the
database keeps is HMAC-SHA256 of the code under a key derived from SECRET_KEY (Django's `salted_hmac`
with a salt of its own), never the code: a copy of the database (a backup, a replica, a dump) gives
no usable code without the application's secret. A password hasher (argon2, with a salt per code)
is made for secrets people choose and reuse, whose guesses must be slowed; these are random, single-
use and only accepted behind the per-account back-off of the code page, so a slow hash would add
nothing but ten argon2 computations per attempt (every code of the user is compared). Codes made
before a key rotation still verify while the old key is in SECRET_KEY_FALLBACKS.

Verification compares the digest of the code typed with every code of the user, without stopping at
a match (`constant_time_compare` each time), so the time taken does not tell which code, if any,
matched; the matching row is deleted in the same transaction, under a lock of the device: once only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_static.models import StaticToken

from gandan.people.models import RecoveryCode, RecoveryCodes, User

KEY_SALT = "gandan.people.recovery-code"  # also in migrations/0005 (frozen there)
COUNT = 10
NAME = "Mã khôi phục"


def normalised(code: str) -> str:
    """As typed: spaces ignored, either case."""
    return "".join(code.split()).lower()


def digest(code: str, *, secret: str | bytes | None = None) -> str:
    return salted_hmac(KEY_SALT, normalised(code), secret=secret, algorithm="sha256").hexdigest()


def _digests(code: str) -> list[str]:
    return [digest(code, secret=secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]


def codes_renew(user: User) -> list[str]:
    """Ten new codes for `user` (the old ones are removed), returned once in plain text."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name=NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=digest(code)) for code in codes])
    return codes


def used_up(device: RecoveryCodes, code: str) -> bool:
    """True when `code` is one of the device's codes, which is then deleted (once: the device's row is
    locked while its codes are compared)."""
    wanted = _digests(code)
    with transaction.atomic():
        RecoveryCodes.objects.select_for_update().filter(pk=device.pk).first()
        match = None
        for row in RecoveryCode.objects.filter(device=device).order_by("pk"):
            for candidate in wanted:
                if constant_time_compare(row.digest, candidate) and match is None:
                    match = row
        if match is None:
            return False
        match.delete()
    return True


def left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()
