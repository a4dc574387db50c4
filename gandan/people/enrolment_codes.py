"""One-time enrolment codes of the two-step sign-in (people/otp.py).

A user who must sign in in two steps and has no authenticator yet (a new account, or one whose
authenticator an administrator reset) cannot bind one with the password alone: whoever holds the
password would otherwise enrol their own phone first, and own the account for good. The enrolment page
first asks for a code that an administrator of the account issues (scoping.accounts_administered:
never their own account) and hands over in person or by a channel of theirs, as banks and ministries
do with an activation code. The code is shown once to the administrator, kept only as a keyed hash
(HMAC-SHA256 under a key derived from SECRET_KEY, like the recovery codes: it is random, so a slow hash
adds nothing), expires after settings.GANDAN_OTP_ENROLMENT_HOURS, is used once, and a new one replaces
the account's unused ones. Issuing and using are audited; wrong codes count in the page's back-off.

For the first administrator there is nobody above: the operator runs
`gandan otp-enrolment-code LOGIN` on the server (the system issues it, audited), as the demo does for
its two-step logins.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.people import scoping
from gandan.people.models import OtpEnrolmentCode, User

KEY_SALT = "gandan.people.otp-enrolment-code"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
LENGTH = 12  # 60 random bits


def normalised(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _digest(code: str, secret: str | bytes | None = None) -> str:
    return salted_hmac(KEY_SALT, normalised(code), secret=secret, algorithm="sha256").hexdigest()


def _province_id(user: User) -> int | None:
    return user.cadre.province_id if user.cadre_id and user.cadre else None


def code_issue(*, actor: User | None, user: User) -> tuple[str, dt.datetime]:
    """A new enrolment code for `user` and when it expires, shown once. `actor` must administer the
    account (never their own); None is the system (the command line). The account's unused codes stop
    working."""
    if actor is not None and (user.pk == actor.pk
                              or not scoping.accounts_administered(actor).filter(pk=user.pk).exists()):
        raise PermissionDenied(_("Bạn không quản trị tài khoản này."))
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    now = timezone.now()
    expires = now + dt.timedelta(hours=settings.GANDAN_OTP_ENROLMENT_HOURS)
    with transaction.atomic():
        replaced, _kinds = OtpEnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        OtpEnrolmentCode.objects.create(user=user, digest=_digest(raw), issued_by=actor, created_at=now,
                                        expires_at=expires)
        audit.record(actor=actor, action="user.otp_enrolment_code", obj=user,
                     after={"expires_at": expires.isoformat(), "replaced": replaced},
                     province_id=_province_id(user))
    return "-".join(raw[i:i + 4] for i in range(0, LENGTH, 4)), expires


def code_use(*, user: User, code: str) -> bool:
    """True when `code` is a live enrolment code of `user`, which is then used up (audited)."""
    typed = normalised(code)
    if len(typed) != LENGTH:
        return False
    wanted = [_digest(typed, secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    with transaction.atomic():
        match = None
        for row in (OtpEnrolmentCode.objects.select_for_update()
                    .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).order_by("pk")):
            for candidate in wanted:
                if constant_time_compare(row.digest, candidate) and match is None:
                    match = row
        if match is None:
            return False
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
        audit.record(actor=user, action="user.otp_enrolment_code_used", obj=user,
                     after={"issued_by": match.issued_by_id}, province_id=_province_id(user))
    return True
