"""Shared base model, the append-only audit log and API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One write, as who/when/what/before/after, chained by its hash to the previous event of its
    province's chain (`chain`, 0 for none; `seq` its place in it, see core/audit.py).

    Rows are only ever inserted (by `core.audit.record`, inside the transaction of the change);
    `gandan audit verify` recomputes the chain and names the first event that does not fit.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    province_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    chain = models.BigIntegerField(default=0, help_text="the province's id, 0 for events of no province")
    seq = models.PositiveBigIntegerField(default=0, help_text="place in the chain, from 1")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class ApiKey(models.Model):
    """A secret that lets a program call Gần Dân (see `core.keys`): a personal token acting as its
    user, or the key of a client application such as an Open311 app. Only the SHA-256 of the secret
    is stored; `prefix`, its first characters, lets people recognise it in a list.

    `kind` names the app that issues and checks the key ("personal", "open311"); `scopes` are what
    it may be used for, each checked by that app; whatever else a kind needs (an Open311 client's
    province) lives in the app's own model, one-to-one with the key.
    """

    kind = models.CharField(max_length=40, db_index=True)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="first characters, to recognise it in a list")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret, hexadecimal")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="api_keys", help_text="whom a personal token acts as")
    scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "user"], name="apikey_kind_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class QueuedJob(models.Model):
    """A background job a request could not hand to the queue (Redis unreachable): kept here, in the
    same database as the write that asked for it, until core/outbox.py hands it over."""

    task = models.CharField(max_length=200)  # the dotted path of a huey task (`module.function`)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.task} {self.created_at:%Y-%m-%d %H:%M}"
