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

This module reads the codes through the device it is given (`device.codes`) and imports no model, so
that the device's `verify_token` (people/models.py) may call it without an import cycle; the writes
of codes (`_recovery_codes`) are people/otp.py's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_static.models import StaticToken

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


def new_codes() -> list[str]:
    """Ten new random codes, in plain text: shown once, and only their digests kept."""
    return [StaticToken.random_token() for _ in range(COUNT)]


def used_up(device: Any, code: str) -> bool:
    """True when `code` is one of the codes of `device` (a people.RecoveryCodes), which is then deleted
    (once: the device's row is locked while its codes are compared)."""
    wanted = _digests(code)
    with transaction.atomic():
        type(device).objects.select_for_update().filter(pk=device.pk).first()
        match = None
        for row in device.codes.order_by("pk"):
            for candidate in wanted:
                if constant_time_compare(row.digest, candidate) and match is None:
                    match = row
        if match is None:
            return False
        match.delete()
    return True
