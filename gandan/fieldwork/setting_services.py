"""Writes on a province's field-work settings: checklist topics, monthly quotas, month locks. Audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.text import fold
from gandan.fieldwork.defaults import DEFAULT_QUOTAS, DEFAULT_TOPICS
from gandan.fieldwork.models import ChecklistTopic, MonthLock, Quota
from gandan.fieldwork.sync import clean_text
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import EmploymentType, Role, User

SETTINGS_ROLES = frozenset({Role.UNIT_ADMIN, Role.COMMITTEE})


def _require_settings_role(actor: User | None, province: AdminUnit) -> None:
    if actor is not None and not scoping.has_role(actor, SETTINGS_ROLES, province):
        raise PermissionDenied(_("Chỉ quản trị hoặc cấp ủy cấp tỉnh được thay đổi cấu hình này"))


def topics_ensure_defaults(*, actor: User | None, province: AdminUnit) -> list[ChecklistTopic]:
    """The province's checklist, filled with the default topics when it has none (idempotent)."""
    existing = list(ChecklistTopic.objects.filter(province=province))
    if existing:
        return existing
    with transaction.atomic():
        rows = ChecklistTopic.objects.bulk_create([
            ChecklistTopic(province=province, code=code, name_vi=vi, name_en=en, position=i)
            for i, (code, vi, en) in enumerate(DEFAULT_TOPICS, start=1)])
        audit.record(actor=actor, action="checklist.defaults", obj=province,
                     after={"topics": [code for code, _vi, _en in DEFAULT_TOPICS]})
    return rows


def topic_save(*, actor: User | None, province: AdminUnit, code: str, name_vi: str, name_en: str = "",
               position: int | None = None, is_active: bool = True) -> ChecklistTopic:
    """Add a checklist topic or change one (its code stays: findings are keyed by it)."""
    _require_settings_role(actor, province)
    code = slugify(fold(code or name_vi))[:40]
    name_vi = clean_text(name_vi)
    if not code or not name_vi:
        raise ValidationError({"name_vi": _("Tên chủ đề là bắt buộc")})
    topics_ensure_defaults(actor=actor, province=province)
    with transaction.atomic():
        topic = ChecklistTopic.objects.filter(province=province, code=code).first()
        before = audit.snapshot(topic) if topic else None
        if topic is None:
            last = ChecklistTopic.objects.filter(province=province).order_by("-position").first()
            topic = ChecklistTopic(province=province, code=code, position=(last.position + 1) if last else 1)
        topic.name_vi, topic.name_en, topic.is_active = name_vi, clean_text(name_en), is_active
        if position is not None:
            topic.position = position
        topic.save()
        audit.record(actor=actor, action="checklist.save", obj=topic, before=before, after=audit.snapshot(topic),
                     province_id=province.pk)
    return topic


def quotas_ensure_defaults(*, actor: User | None, province: AdminUnit) -> list[Quota]:
    existing = list(Quota.objects.filter(province=province))
    if existing:
        return existing
    with transaction.atomic():
        rows = Quota.objects.bulk_create([
            Quota(province=province, level=level, employment_type=etype, field_days_per_month=days,
                  visits_per_month=visits, meeting_attendance_pct=pct)
            for level, etype, days, visits, pct in DEFAULT_QUOTAS])
        audit.record(actor=actor, action="quota.defaults", obj=province,
                     after={"quotas": [list(q) for q in DEFAULT_QUOTAS]})
    return rows


def quota_save(*, actor: User | None, province: AdminUnit, level: str, employment_type: str = "", field_days: int,
               visits: int, meeting_pct: int) -> Quota:
    _require_settings_role(actor, province)
    errors: dict[str, list[str]] = {}
    if employment_type and employment_type not in EmploymentType.values:
        errors["employment_type"] = [_("Loại cán bộ không hợp lệ")]
    if not level:
        errors["level"] = [_("Cấp là bắt buộc")]
    limits = (("field_days", field_days, 31), ("visits", visits, 200), ("meeting_pct", meeting_pct, 100))
    for name, value, high in limits:
        if not 0 <= value <= high:
            errors[name] = [_("Phải từ 0 đến %(high)d") % {"high": high}]
    if errors:
        raise ValidationError(errors)
    quotas_ensure_defaults(actor=actor, province=province)  # the other levels keep their defaults
    with transaction.atomic():
        quota = Quota.objects.filter(province=province, level=level, employment_type=employment_type).first()
        before = audit.snapshot(quota) if quota else None
        quota = quota or Quota(province=province, level=level, employment_type=employment_type)
        quota.field_days_per_month, quota.visits_per_month = field_days, visits
        quota.meeting_attendance_pct = meeting_pct
        quota.save()
        audit.record(actor=actor, action="quota.save", obj=quota, before=before,
                     after=audit.snapshot(quota, ["level", "employment_type", "field_days_per_month",
                                                  "visits_per_month", "meeting_attendance_pct"]))
    return quota


# -- month locks ------------------------------------------------------------------------------------
def month_lock(*, actor: User | None, province: AdminUnit, month: dt.date) -> MonthLock:
    """Lock a month of a province: its visits, photos and attendance become read-only. Idempotent.

    Administrators do it for now; the monthly evaluation will call it (actor None) on conclusion."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, province):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được khóa sổ tháng"))
    first = month.replace(day=1)
    with transaction.atomic():
        lock, created = MonthLock.objects.get_or_create(province=province, month=first,
                                                        defaults={"locked_by": actor if actor else None})
        if created:
            audit.record(actor=actor, action="month.lock", obj=lock, after=audit.snapshot(lock))
    return lock


def month_unlock(*, actor: User | None, province: AdminUnit, month: dt.date) -> None:
    """Reopen a month (an administrator's correction); audited."""
    if actor is not None and not scoping.has_role(actor, {Role.UNIT_ADMIN}, province):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được mở khóa sổ tháng"))
    with transaction.atomic():
        lock = MonthLock.objects.filter(province=province, month=month.replace(day=1)).first()
        if lock is not None:
            audit.record(actor=actor, action="month.unlock", obj=lock, before=audit.snapshot(lock))
            lock.delete()
