"""Two-step sign-in: after the password, a code from an authenticator app (TOTP, django-otp).

Who must: an account with an active grant of unit administrator, committee / standing board (cấp ủy,
Ban Thường vụ) or leader (lãnh đạo: the chairs and deputies of a people's committee, who assign and
evaluate work) — the roles that manage accounts or lead a unit — and a superuser, while
settings.GANDAN_OTP_REQUIRED is on (the default, and production). Cadres, department handlers and
viewers may enrol by choice. A user with a confirmed device is asked for a code at every login,
required or not.

A user who must use a code and has no authenticator first gives a one-time enrolment code that an
administrator of the account issued (people/enrolment_codes.py): the password alone does not let
anyone bind their own phone to the account. Enrolment then makes an unconfirmed TOTP device (shown as
a QR code and as its secret in text); the first right code confirms it and makes ten one-time recovery
codes (people/recovery.py: a device of ours that keeps only keyed hashes of them), shown once. A
recovery code is accepted instead of a TOTP code, and then deleted. A unit administrator may reset the
devices of an account they look after (scoping.accounts_administered: never their own); its owner
enrols again at the next request. Every change is audited; codes and secrets never are.

django-otp keeps the device's id in the session once a code was right (`django_otp.login`), and its
middleware marks `request.user.is_verified()`; a device deleted by a reset unverifies every session.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandan.core import audit
from gandan.people import enrolment_codes, recovery, scoping
from gandan.people.models import RecoveryCode, RecoveryCodes, Role, User

OTP_ROLES = frozenset({Role.UNIT_ADMIN, Role.COMMITTEE, Role.LEADER})
RECOVERY_CODES = recovery.COUNT
ENROLLED_KEY = "gandan_otp_enrolled"  # in the session, from login: this user has a confirmed device
ENROL_ALLOWED_KEY = "gandan_otp_enrol_allowed"  # in the session: the user (pk) gave an enrolment code
DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = recovery.NAME


def otp_required(user: User) -> bool:
    """True when this user must confirm their logins with a code (the setting and their roles)."""
    if not settings.GANDAN_OTP_REQUIRED:
        return False
    return bool(user.is_superuser or scoping.roles_of(user) & OTP_ROLES)


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(request: HttpRequest) -> str | None:
    """What stands between this signed-in user and the site: "enrol", "verify" or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]  # django-otp's middleware
        return None
    if request.session.get(ENROLLED_KEY):
        return "verify"
    if otp_required(user):
        return "verify" if enrolled(user) else "enrol"
    return None


def enrolment_code_needed(request: HttpRequest) -> bool:
    """True when this signed-in user must give an enrolment code before an authenticator is shown to
    them: they must use a code, have no authenticator, and have not given one in this session."""
    user: User = request.user  # type: ignore[assignment]  # signed in
    return otp_required(user) and not enrolled(user) and request.session.get(ENROL_ALLOWED_KEY) != user.pk


def enrolment_code_give(*, request: HttpRequest, code: str) -> bool:
    """The enrolment page's first step: a right code (used up) lets this session enrol."""
    user: User = request.user  # type: ignore[assignment]  # signed in
    if not enrolment_codes.code_use(user=user, code=code):
        return False
    request.session[ENROL_ALLOWED_KEY] = user.pk
    return True


def noted_at_login(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    """user_logged_in: remember in the session whether a code will be asked (one query per login)."""
    if getattr(request, "session", None) is not None:
        request.session[ENROLLED_KEY] = enrolled(user)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks it typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


# -- writes ---------------------------------------------------------------------------------------
def _province_id(user: User) -> int | None:
    return user.cadre.province_id if user.cadre_id and user.cadre else None


def enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes for `user` (the old ones are removed), returned once in plain text."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = recovery.new_codes()
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=recovery.digest(code)) for code in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the user's new authenticator with its first code: the user's other authenticators are
    removed, the session is verified (and its key renewed), and the ten recovery codes are returned, to
    be shown once. None when the code is wrong."""
    user: User = request.user  # type: ignore[assignment]  # signed in
    with transaction.atomic():
        if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes(user)
        audit.record(actor=user, action="user.otp_enrol", obj=user,
                     after={"device_id": device.pk, "recovery_codes": len(codes)}, province_id=_province_id(user))
    signed_in(request, device)
    request.session.pop(ENROL_ALLOWED_KEY, None)
    return codes


def recovery_codes_renew(*, actor: User) -> list[str]:
    """Ten new recovery codes for the actor (the old ones stop working), to be shown once."""
    with transaction.atomic():
        codes = _recovery_codes(actor)
        audit.record(actor=actor, action="user.otp_recovery_codes", obj=actor,
                     after={"recovery_codes": len(codes)}, province_id=_province_id(actor))
    return codes


def _digits(code: str) -> str:
    return "".join(code.split())


def code_check(*, request: HttpRequest, code: str) -> bool:
    """The login's second step: a code of the user's authenticator, or one of their recovery codes
    (used up by this). When right, the session is verified and its key renewed."""
    user: User = request.user  # type: ignore[assignment]  # signed in
    code = _digits(code).lower()
    if not code or len(code) > 16:
        return False
    with transaction.atomic():
        device: TOTPDevice | RecoveryCodes | None = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first())
        if device is None or not (code.isdigit() and device.verify_token(code)):
            device = RecoveryCodes.objects.filter(user=user, confirmed=True).first()
            if device is None or not device.verify_token(code):
                return False
            audit.record(actor=user, action="user.otp_recovery_code_used", obj=user,
                         after={"left": recovery_codes_left(user)}, province_id=_province_id(user))
    signed_in(request, device)
    return True


def signed_in(request: HttpRequest, device: TOTPDevice | RecoveryCodes) -> None:
    """Mark the session verified by `device`, under a new key: a copy of the key that only knew the
    password is worth nothing now (the "my sessions" row follows the key)."""
    from gandan.people import sessions

    otp_login(request, device)
    request.session[ENROLLED_KEY] = True
    old = request.session.session_key
    request.session.cycle_key()
    sessions.rekeyed(old, request.session.session_key)


def otp_reset(*, actor: User, user: User) -> int:
    """Remove the authenticator and recovery codes of an account the actor looks after (never their
    own): its sessions stop being verified, and its owner enrols again. Returns the devices removed."""
    if user.pk == actor.pk or not scoping.accounts_administered(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("Bạn không quản trị tài khoản này."))
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).count() + RecoveryCodes.objects.filter(user=user).count()
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        audit.record(actor=actor, action="user.otp_reset", obj=user, after={"devices_removed": removed},
                     province_id=_province_id(user))
    return removed
