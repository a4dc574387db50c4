"""Writes on a province's configuration of concerns: fields, working time, holidays, deadline rules.
Committees and unit administrators of the province may change them; each change is audited.
Nationwide holiday rows (no province) are the system's: only the `gandan holiday` command
(actor None) writes them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Role, User
from gandan.petitions import config, deadlines
from gandan.petitions.models import DeadlineRule, Holiday, PetitionField, PetitionPolicy, Urgency, WorkingTime

EDIT_ROLES = frozenset({Role.COMMITTEE, Role.UNIT_ADMIN})


def may_configure(user: User | None, province: AdminUnit) -> bool:
    return user is None or scoping.has_role(user, EDIT_ROLES, province)


def _require(actor: User | None, province: AdminUnit) -> None:
    if province.parent_id is not None:
        raise ValidationError({"province": _("Cấu hình đặt theo tỉnh")})
    if not may_configure(actor, province):
        raise PermissionDenied(_("Chỉ cấp ủy hoặc quản trị cấp tỉnh được thay đổi cấu hình"))


def field_save(*, actor: User | None, province: AdminUnit, code: str, name_vi: str, name_en: str = "",
               description: str = "", active: bool = True) -> PetitionField:
    """Add or change a field; the first change copies the default set, so nothing silently disappears."""
    _require(actor, province)
    code, name_vi = (code or "").strip().lower(), (name_vi or "").strip()
    errors = {}
    if not code or not code.replace("_", "").replace("-", "").isalnum() or len(code) > 40:
        errors["code"] = _("Mã lĩnh vực gồm chữ thường, số, gạch dưới, tối đa 40 ký tự")
    if not name_vi:
        errors["name_vi"] = _("Hãy nhập tên lĩnh vực")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not PetitionField.objects.filter(province=province).exists():
            PetitionField.objects.bulk_create([
                PetitionField(province=province, code=f.code, name_vi=f.name_vi, name_en=f.name_en, order=i)
                for i, f in enumerate(config.default_fields())])
        row, created = PetitionField.objects.get_or_create(
            province=province, code=code, defaults={"name_vi": name_vi, "order": PetitionField.objects.filter(
                province=province).count()})
        before = None if created else audit.snapshot(row, ["name_vi", "name_en", "description", "active"])
        row.name_vi, row.name_en, row.description, row.active = name_vi, name_en.strip(), description.strip(), active
        row.save()
        audit.record(actor=actor, action="petition_config.field", obj=row, province_id=province.pk, before=before,
                     after=audit.snapshot(row, ["code", "name_vi", "name_en", "description", "active"]))
    return row


def policy_set(*, actor: User | None, province: AdminUnit, reopen_days: int) -> PetitionPolicy:
    """How many days after a concern closed its citizen may still reopen it (1–365; default 30)."""
    _require(actor, province)
    if not 1 <= reopen_days <= 365:
        raise ValidationError({"reopen_days": _("Số ngày từ 1 đến 365.")})
    with transaction.atomic():
        row, _created = PetitionPolicy.objects.get_or_create(province=province)
        before = audit.snapshot(row, ["reopen_days"])
        row.reopen_days = reopen_days
        row.save()
        audit.record(actor=actor, action="petition_config.policy", obj=row, province_id=province.pk, before=before,
                     after=audit.snapshot(row, ["reopen_days"]))
    return row


def working_time_set(*, actor: User | None, province: AdminUnit, periods: tuple[tuple[dt.time, dt.time], ...],
                     weekdays: list[int]) -> WorkingTime:
    _require(actor, province)
    if len(periods) != 2:
        raise ValidationError({"periods": _("Cần giờ làm buổi sáng và buổi chiều")})
    try:
        deadlines.WorkingCalendar(periods=periods, weekdays=frozenset(weekdays))
    except deadlines.CalendarError as exc:
        raise ValidationError({"periods": str(exc)}) from exc
    with transaction.atomic():
        row, _created = WorkingTime.objects.get_or_create(province=province)
        (row.morning_start, row.morning_end), (row.afternoon_start, row.afternoon_end) = periods
        row.weekdays = sorted(set(weekdays))
        row.save()
        audit.record(actor=actor, action="petition_config.working_time", obj=row, province_id=province.pk,
                     after=audit.snapshot(row))
    return row


def _require_calendar(actor: User | None, province: AdminUnit | None) -> None:
    if province is not None:
        _require(actor, province)
    elif actor is not None:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được điều chỉnh lịch nghỉ toàn quốc (lệnh gandan holiday)."))


def holiday_set(*, actor: User | None, province: AdminUnit | None, date: dt.date, name: str,
                working_day: bool = False) -> Holiday:
    """A province's day off or day worked (a make-up Saturday, a holiday cancelled); without a
    province, the same for every province (an official announcement)."""
    _require_calendar(actor, province)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy ghi tên ngày nghỉ hoặc lý do làm việc bù.")})
    with transaction.atomic():
        row, _created = Holiday.objects.update_or_create(province=province, date=date,
                                                         defaults={"name": name[:200], "working_day": working_day})
        audit.record(actor=actor, action="petition_config.holiday", obj=row, province_id=row.province_id,
                     after=audit.snapshot(row))
    return row


def holiday_remove(*, actor: User | None, holiday: Holiday) -> None:
    _require_calendar(actor, holiday.province)
    with transaction.atomic():
        audit.record(actor=actor, action="petition_config.holiday_remove", obj=holiday,
                     province_id=holiday.province_id, before=audit.snapshot(holiday))
        holiday.delete()


def rule_set(*, actor: User | None, province: AdminUnit, stage: str, amount: int, unit: str, field: str = "",
             urgency: str = "", level: str = "") -> DeadlineRule:
    _require(actor, province)
    errors = {}
    if stage not in DeadlineRule.Stage.values:
        errors["stage"] = _("Giai đoạn phải là tiếp nhận hoặc giải quyết")
    if unit not in DeadlineRule.Unit.values:
        errors["unit"] = _("Đơn vị thời gian phải là giờ hoặc ngày làm việc")
    if not 1 <= amount <= 365:
        errors["amount"] = _("Thời hạn từ 1 đến 365")
    if urgency and urgency not in Urgency.values:
        errors["urgency"] = _("Mức độ không hợp lệ")
    if field and field not in {f.code for f in config.fields_for(province, include_inactive=True)}:
        errors["field"] = _("Lĩnh vực không có trong danh mục")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = DeadlineRule.objects.update_or_create(
            province=province, stage=stage, field=field, urgency=urgency, level=level,
            defaults={"amount": amount, "unit": unit})
        audit.record(actor=actor, action="petition_config.rule", obj=row, province_id=province.pk,
                     after=audit.snapshot(row))
    return row


def rule_remove(*, actor: User | None, rule: DeadlineRule) -> None:
    _require(actor, rule.province)
    with transaction.atomic():
        audit.record(actor=actor, action="petition_config.rule_remove", obj=rule, province_id=rule.province_id,
                     before=audit.snapshot(rule))
        rule.delete()
