"""Cadres, user accounts and role grants (role + unit scope). Personal API tokens are core.ApiKey rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from gandan.core.models import TimeStamped
from gandan.core.paths import PATH_SEP
from gandan.org.models import AdminUnit, Agency, PartyCell


class EmploymentType(models.TextChoices):
    CADRE = "cadre", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    CONTRACT = "contract", _("Người lao động hợp đồng")


class CadreQuerySet(models.QuerySet["Cadre"]):
    def active(self) -> CadreQuerySet:
        return self.filter(left_on__isnull=True)

    def in_subtree(self, unit: AdminUnit) -> CadreQuerySet:
        return self.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + PATH_SEP))


class Cadre(TimeStamped):
    """A person employed by an agency. Phone and home are personal data; office phone is public."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40, help_text="staff number, unique in the province")
    full_name = models.CharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    birth_date = models.DateField(null=True, blank=True)
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    position = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cadres")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="cadres",
                             help_text="the agency's unit, kept here for scoped queries")
    is_party_member = models.BooleanField(default=False)
    party_cell = models.ForeignKey(PartyCell, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="members")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    office_phone = models.CharField(max_length=30, blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="personal mobile")
    email = models.EmailField(blank=True)
    home_unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  help_text="where the cadre lives (village or commune)")
    left_on = models.DateField(null=True, blank=True, help_text="date the cadre left the agency")

    objects = CadreQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="cadre_code_unique")]
        indexes = [models.Index(fields=["unit", "name_folded"], name="cadre_unit_name_idx")]

    def __str__(self) -> str:
        return self.full_name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # RecoveryCodes: django-otp's Device is untyped
    """An account; linked to at most one cadre."""

    cadre = models.OneToOneField(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="user")
    must_change_password = models.BooleanField(
        default=False, help_text="the password was set by an administrator: every page but the change page "
                                 "waits until the user chooses their own (people/middleware.py)")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The person's name, as every page shows who did something: the cadre's full name, else the
        account's name, the login name only when there is neither."""
        cadre = self.cadre if self.cadre_id else None
        return (cadre.full_name if cadre is not None else "") or self.get_full_name() or self.username


class Role(models.TextChoices):
    CADRE = "cadre", _("Cán bộ")
    LEADER = "leader", _("Lãnh đạo, người giao việc")
    COMMITTEE = "committee", _("Cấp ủy, Ban Thường vụ")
    DEPARTMENT_HANDLER = "department_handler", _("Cán bộ xử lý của sở, ngành")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    VIEWER = "viewer", _("Kiểm tra, giám sát (chỉ xem)")


WRITE_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.DEPARTMENT_HANDLER, Role.UNIT_ADMIN})


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self, on: dt.date | None = None) -> RoleGrantQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )


class RoleGrant(TimeStamped):
    """User U holds role R over unit S and everything below it, from A to B."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="grants")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    cross_unit_reason = models.TextField(
        blank=True, help_text="why the account, not a cadre of this unit's agencies, holds the role here: "
                              "confirmed by the administrator who granted it (services.grant_add)")

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class SignedInSession(models.Model):
    """One browser session a user signed in with (people/sessions.py): what the user sees on "my
    sessions" and may end. The session itself is Django's; this row only names it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class RecoveryCodes(Device):
    """A user's ten one-time recovery codes, as a django-otp device (so that a session verified by one
    is marked like one verified by the authenticator). The codes themselves are only keyed hashes
    (`RecoveryCode`, people/recovery.py); the plain codes are shown once and kept nowhere."""

    def verify_token(self, token: str) -> bool:
        from gandan.people import recovery

        return recovery.used_up(self, token)


class RecoveryCode(models.Model):
    """One recovery code of `device`, as HMAC-SHA256 of the code under a key derived from SECRET_KEY
    (people/recovery.py says why not a password hasher). Deleted when used."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.device_id} {self.digest[:8]}…"


class OtpEnrolmentCode(models.Model):
    """A one-time code an administrator of the account issues so that its owner, who must sign in in two
    steps and has no authenticator yet, may enrol one (people/enrolment_codes.py): the password alone is
    not enough to bind an authenticator. Only its keyed hash is kept; it expires and is used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="otp_enrolment_codes")
    digest = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
