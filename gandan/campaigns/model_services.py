"""Writes on the register of exemplary models: register one (idempotent by client UUID), and record a
decision that moves it registered → recognised → praised or commended (rules.NEXT_STATUSES); and the
commendation of a cadre on no model, in the same register of decisions (the evaluation's emulation
review calls `cadre_commend`). Atomic, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.campaigns import rules
from gandan.campaigns.inputs import DecisionIn, ModelIn
from gandan.campaigns.models import (
    Campaign,
    Decision,
    DecisionLevel,
    ExemplaryModel,
    HolderKind,
    ModelField,
    ModelStatus,
)
from gandan.core import audit
from gandan.core.paths import path_within
from gandan.fieldwork.sync import body_hash, clean_text
from gandan.org.models import AdminUnit, Agency
from gandan.people import scoping
from gandan.people.models import WRITE_ROLES, Cadre, Role, User

REGISTER_ROLES = frozenset(WRITE_ROLES | {Role.CADRE})
MODEL_FIELDS = ["province_id", "client_uuid", "unit_id", "campaign_id", "holder_kind", "holder_name", "cadre_id",
                "agency_id", "title", "field", "description", "evidence", "registered_on", "status"]


class ModelConflict(Exception):
    """The client UUID was already used for a different model (HTTP 409)."""

    def __init__(self, model: ExemplaryModel) -> None:
        super().__init__(_("Mã đồng bộ (UUID) này đã dùng cho một mô hình khác với nội dung khác; hãy tạo bản ghi "
                           "mới."))
        self.model = model


def _validate(actor: User | None, data: ModelIn) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unit = AdminUnit.objects.filter(pk=data.unit_id, valid_to__isnull=True).first()
    if unit is None or (actor is not None and not scoping.has_role(actor, REGISTER_ROLES, unit)):
        errors["unit_id"] = [_("Không tìm thấy đơn vị trong phạm vi của bạn.")]
    if data.holder_kind not in HolderKind.values:
        errors["holder_kind"] = [_("Hãy chọn tập thể hoặc cá nhân.")]
    if data.field not in ModelField.values:
        errors["field"] = [_("Lĩnh vực không hợp lệ: %(value)s.") % {"value": data.field}]
    if not clean_text(data.holder_name):
        errors["holder_name"] = [_("Hãy ghi tên tập thể hoặc cá nhân.")]
    if not clean_text(data.title):
        errors["title"] = [_("Hãy ghi tên mô hình.")]
    if data.registered_on > timezone.localdate():
        errors["registered_on"] = [_("Ngày đăng ký chưa đến.")]
    province_id = unit.province_id if unit else None
    cadre = Cadre.objects.filter(pk=data.cadre_id, province_id=province_id).first() if data.cadre_id else None
    if data.cadre_id and cadre is None:
        errors["cadre_id"] = [_("Không tìm thấy cán bộ trong tỉnh.")]
    if cadre is not None and data.holder_kind != HolderKind.INDIVIDUAL:
        errors["cadre_id"] = [_("Chỉ mô hình của cá nhân mới gắn với một cán bộ.")]
    agency = Agency.objects.filter(pk=data.agency_id, province_id=province_id).first() if data.agency_id else None
    if data.agency_id and agency is None:
        errors["agency_id"] = [_("Không tìm thấy cơ quan trong tỉnh.")]
    if agency is not None and data.holder_kind != HolderKind.COLLECTIVE:
        errors["agency_id"] = [_("Chỉ mô hình của tập thể mới gắn với một cơ quan.")]
    campaign = Campaign.objects.filter(pk=data.campaign_id, province_id=province_id).first() \
        if data.campaign_id else None
    if data.campaign_id and (campaign is None or unit is None or not any(
            path_within(unit.path, s.unit.path) for s in campaign.scope.select_related("unit"))):
        errors["campaign_id"] = [_("Đơn vị này không thuộc phạm vi của phong trào đã chọn.")]
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "cadre": cadre, "agency": agency, "campaign": campaign}


def _replay(existing: ExemplaryModel, digest: str) -> tuple[ExemplaryModel, bool]:
    if existing.body_hash != digest:
        raise ModelConflict(existing)
    return existing, False


def model_register(*, actor: User | None, data: ModelIn) -> tuple[ExemplaryModel, bool]:
    """Register an exemplary model, or recognise a retry of one. Returns (model, created)."""
    digest = body_hash(data.normalised())
    checked = _validate(actor, data)
    unit: AdminUnit = checked["unit"]
    province_id = unit.province_id or unit.pk
    lookup = {"province_id": province_id, "client_uuid": data.client_uuid}
    existing = ExemplaryModel.objects.filter(**lookup).first()
    if existing is not None:
        return _replay(existing, digest)
    try:
        with transaction.atomic():
            model = ExemplaryModel.objects.create(
                province_id=province_id, client_uuid=data.client_uuid, unit=unit, campaign=checked["campaign"],
                holder_kind=data.holder_kind, holder_name=clean_text(data.holder_name), cadre=checked["cadre"],
                agency=checked["agency"], title=clean_text(data.title), field=data.field,
                description=clean_text(data.description), evidence=clean_text(data.evidence),
                registered_on=data.registered_on, body_hash=digest, recorded_by=actor)
            audit.record(actor=actor, action="exemplary_model.register", obj=model,
                         after=audit.snapshot(model, MODEL_FIELDS))
    except IntegrityError:
        existing = ExemplaryModel.objects.filter(**lookup).first()
        if existing is None:
            raise
        return _replay(existing, digest)
    return model, True


def model_decide(*, actor: User | None, model: ExemplaryModel, data: DecisionIn) -> Decision:
    """Record the decision that recognises, praises or commends `model` (leaders of its unit)."""
    if actor is not None and not scoping.has_role(actor, WRITE_ROLES, model.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được ghi quyết định công nhận, biểu dương, khen thưởng."))
    errors: dict[str, list[str]] = {}
    if not rules.may_move(model.status, data.status):
        allowed = ", ".join(str(ModelStatus(s).label) for s in sorted(rules.NEXT_STATUSES.get(model.status, ())))
        errors["status"] = [_("Mô hình đang ở trạng thái “%(current)s”; bước tiếp theo chỉ có thể là: %(allowed)s.")
                            % {"current": model.get_status_display(), "allowed": allowed or "—"}]
    if not clean_text(data.number):
        errors["number"] = [_("Hãy ghi số quyết định.")]
    if data.level not in DecisionLevel.values:
        errors["level"] = [_("Cấp quyết định không hợp lệ: %(value)s.") % {"value": data.level}]
    if data.date > timezone.localdate() or data.date < model.registered_on:
        errors["date"] = [_("Ngày quyết định phải từ ngày đăng ký mô hình đến hôm nay.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(model, ["status"])
        decision = Decision.objects.create(
            model=model, province_id=model.province_id, status=data.status, number=clean_text(data.number),
            date=data.date, level=data.level, issuer=clean_text(data.issuer), notes=clean_text(data.notes),
            recorded_by=actor)
        model.status = data.status
        model.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="exemplary_model.decide", obj=model, before=before, after={
            "status": model.status, "decision": audit.snapshot(decision, ["id", "status", "number", "date", "level",
                                                                          "issuer"])})
    return decision


def cadre_commend(*, actor: User | None, cadre: Cadre, number: str, date: dt.date, level: str, reason: str,
                  issuer: str = "") -> Decision:
    """Record in the register a commendation of a cadre on no model (the evaluation's emulation review):
    decision number, date, level and reason; the leadership of the cadre's unit."""
    if actor is not None and not scoping.has_role(actor, WRITE_ROLES, cadre.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được ghi khen thưởng."))
    errors: dict[str, list[str]] = {}
    number, reason = clean_text(number), clean_text(reason)
    if not number:
        errors["number"] = [_("Hãy ghi số quyết định.")]
    if not reason:
        errors["reason"] = [_("Hãy ghi lý do khen thưởng.")]
    if level not in DecisionLevel.values:
        errors["level"] = [_("Cấp khen thưởng không hợp lệ.")]
    if date > timezone.localdate():
        errors["date"] = [_("Ngày quyết định không được sau hôm nay.")]
    if number and Decision.objects.filter(province_id=cadre.province_id, number=number, cadre=cadre,
                                          model__isnull=True).exists():
        errors["number"] = [_("Quyết định này đã được ghi cho cán bộ.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            model=None, cadre=cadre, unit_id=cadre.unit_id, province_id=cadre.province_id,
            status=ModelStatus.COMMENDED, number=number[:60], date=date, level=level, issuer=clean_text(issuer)[:250],
            reason=reason, recorded_by=actor)
        audit.record(actor=actor, action="decision.commend", obj=decision, province_id=cadre.province_id,
                     after=audit.snapshot(decision, ["cadre_id", "unit_id", "number", "date", "level", "issuer",
                                                     "reason"]))
    return decision
