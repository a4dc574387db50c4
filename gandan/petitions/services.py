"""Every write on concerns: receive, accept, handle, escalate, transfer, answer, rate, reopen, route out,
merge, issue a new PIN. Each is atomic, appends a PetitionEvent and an audit row, and returns the concern.

The citizen's PIN is stored as a hash (Django's password hashers); the plain PIN exists only on the
instance that petition_receive or petition_pin_issue returns (`petition.pin`), for the one receipt
that shows it. Neither it nor the number called for a proxy rating goes into the audit chain.

Concurrency: every step locks the concern's row (select_for_update; SQLite serialises writers)
and re-checks, on the locked row, the version the caller saw (when given) and that the action is
still allowed in the current state; the row is then updated only if its version is unchanged.
The loser of two handlers acting at once gets `Conflict` (HTTP 409), and nothing changes.

The audit rows leave out the citizen's name and phone: the chain cannot be edited, and personal
data must stay erasable on request (DESIGN §6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.text import fold
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household
from gandan.petitions import access, attachments, config, notify, routing, states
from gandan.petitions.models import (
    Answer,
    Attachment,
    Channel,
    DayCounter,
    Kind,
    Notification,
    Outcome,
    Petition,
    PetitionEvent,
    PetitionHolding,
    Rating,
    Urgency,
)

if TYPE_CHECKING:
    from gandan.people.models import User

MAX_TEXT = 4000
PHONE = re.compile(r"^\+?[0-9 .\-]{8,20}$")
AUDITED = ("code", "status", "unit_id", "field", "urgency", "kind", "channel", "holder_unit_id", "holder_agency_id",
           "holder_cadre_id", "accept_due_at", "due_at", "version", "merged_into_id")


class Conflict(Exception):
    """Someone else changed the concern first, or the action no longer fits its state (HTTP 409)."""


def _refused(petition: Petition, action: str) -> Conflict:
    status = petition.get_status_display()
    return Conflict(_("Không thể thực hiện: phản ánh %(code)s hiện ở trạng thái “%(status)s” (có thể người khác "
                      "vừa xử lý). Hãy tải lại trang.") % {"code": petition.code, "status": status})


def _stale(petition: Petition) -> Conflict:
    return Conflict(_("Phản ánh %(code)s vừa được người khác cập nhật; hãy tải lại trang rồi thử lại.")
                    % {"code": petition.code})


def _snapshot(petition: Petition) -> dict[str, Any]:
    return audit.snapshot(petition, AUDITED)


def _label(actor: User | None) -> str:
    return "" if actor is None else (getattr(actor, "username", "") or str(actor))


def _event(petition: Petition, *, actor: User | None, action: str, at: dt.datetime, from_status: str,
           before: tuple[Any, Any, Any] | None = None, note: str = "") -> PetitionEvent:
    """Append the step; `before` is the (unit, agency, cadre) ids of the holder before it."""
    b_unit, b_agency, b_cadre = before or (None, None, None)
    return PetitionEvent.objects.create(
        petition=petition, province_id=petition.province_id, at=at, actor=actor if actor is not None else None,
        actor_label=_label(actor), action=action, from_status=from_status, to_status=petition.status,
        from_unit_id=b_unit, from_agency_id=b_agency, from_cadre_id=b_cadre, to_unit_id=petition.holder_unit_id,
        to_agency_id=petition.holder_agency_id, to_cadre_id=petition.holder_cadre_id, note=note)


def _holder_ids(petition: Petition) -> tuple[Any, Any, Any]:
    return petition.holder_unit_id, petition.holder_agency_id, petition.holder_cadre_id


# -- tracking code ---------------------------------------------------------------------------------
def tracking_code(day: dt.date, province_code: str, number: int) -> str:
    """PAKN.YYYYMMDD.PP.NNNN: the national portal's form with the province's code before the day's
    number, so that each province numbers its own concerns and a code still names one concern."""
    return f"PAKN.{day:%Y%m%d}.{province_code}.{number:04d}"


def next_tracking_code(day: dt.date, province: AdminUnit) -> str:
    """The next code of the province's day, from its counter incremented under its row lock: two concerns
    received at once never get the same number, and provinces never wait for each other (DESIGN §5).
    Must run inside the caller's transaction."""
    table = DayCounter._meta.db_table
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE province_id = %s AND day = %s RETURNING last",
                           [province.pk, day])
            row = cursor.fetchone()
        if row is not None:
            return tracking_code(day, province.code, row[0])
        try:
            with transaction.atomic():
                DayCounter.objects.create(province=province, day=day, last=1)
            return tracking_code(day, province.code, 1)
        except IntegrityError:
            continue  # another transaction created the day's row first: take the next number from it
    raise RuntimeError("could not number the concern")


# -- the citizen's PIN -----------------------------------------------------------------------------
def new_pin() -> tuple[str, str]:
    """A fresh six-digit PIN and the hash to store of it."""
    plain = f"{secrets.randbelow(10**6):06d}"
    return plain, make_password(plain)


def pin_matches(petition: Petition, pin: str) -> bool:
    pin = (pin or "").strip()
    return bool(pin) and bool(petition.pin_hash) and check_password(pin, petition.pin_hash)


# -- receive ---------------------------------------------------------------------------------------
def _validate_intake(*, unit: AdminUnit, text: str, field: str, urgency: str, channel: str,
                     household: Household | None, citizen_name: str, citizen_phone: str, source_ref: str) -> None:
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not text:
        bad("text", _("Hãy ghi nội dung phản ánh, kiến nghị"))
    elif len(text) > MAX_TEXT:
        bad("text", _("Nội dung dài tối đa %(max)d ký tự (hiện %(count)d)") % {"max": MAX_TEXT, "count": len(text)})
    codes = [f.code for f in config.fields_for(unit.province)]
    if field not in codes:
        bad("field", _("Lĩnh vực “%(field)s” không có trong danh mục của tỉnh; chọn một trong: %(codes)s")
            % {"field": field, "codes": ", ".join(codes)})
    if urgency not in Urgency.values:
        bad("urgency", _("Mức độ phải là bình thường, khẩn cấp hoặc phức tạp"))
    if channel not in Channel.values:
        bad("channel", _("Kênh tiếp nhận không hợp lệ: %(channel)s") % {"channel": channel})
    if unit.valid_to is not None:
        bad("unit", _("%(unit)s không còn hiệu lực; chọn đơn vị hiện nay") % {"unit": unit.name})
    if household is not None and not routing.within(household.village, unit):
        bad("household", _("Hộ %(household)s không thuộc %(unit)s") % {"household": household.code, "unit": unit.name})
    if len(citizen_name) > 200:
        bad("citizen_name", _("Họ tên dài tối đa 200 ký tự"))
    if citizen_phone and not PHONE.match(citizen_phone):
        bad("citizen_phone", _("Số điện thoại chỉ gồm chữ số, 8–15 số, ví dụ 0912 345 678"))
    if len(source_ref) > 64:
        bad("source_ref", _("Mã nguồn dài tối đa 64 ký tự"))
    if errors:
        raise ValidationError(errors)


def _source_key(source_ref: str, text: str) -> str:
    return hashlib.sha256(f"{source_ref}\n{text}".encode()).hexdigest() if source_ref else ""


def petition_receive(*, actor: User | None, unit: AdminUnit, text: str, field: str, urgency: str = "normal",
                     channel: str = "visit", household: Household | None = None, citizen_name: str = "",
                     citizen_phone: str = "", anonymous: bool = False, source_ref: str = "",
                     files: Sequence[Any] = (), latitude: float | None = None, longitude: float | None = None,
                     received_at: dt.datetime | None = None) -> Petition:
    """Record a concern (channels: visit, office, public, open311): numbered, given its deadlines and its
    first holder (the receiving unit), audited. The same (province, channel, source_ref, text) twice
    returns the first concern: visit syncs are retried."""
    text = (text or "").strip()
    citizen_name, citizen_phone, source_ref = citizen_name.strip(), citizen_phone.strip(), source_ref.strip()
    unit = AdminUnit.objects.select_related("level", "province").get(pk=unit.pk)
    _validate_intake(unit=unit, text=text, field=field, urgency=urgency, channel=channel, household=household,
                     citizen_name=citizen_name, citizen_phone=citizen_phone, source_ref=source_ref)
    if not access.may_receive(actor, unit):
        raise PermissionDenied(_("Bạn không được tiếp nhận phản ánh ở đơn vị này"))
    province_id = unit.province_id or unit.pk
    key = _source_key(source_ref, text)
    if key:
        existing = Petition.objects.filter(province_id=province_id, channel=channel, source_key=key).first()
        if existing is not None:
            return existing
    checked = attachments.check(list(files))
    if anonymous:
        household, citizen_name, citizen_phone = None, "", ""
    now = min(received_at, timezone.now()) if received_at else timezone.now()  # never in the future
    holder = routing.receiving_holder(unit)
    pin, pin_hash = new_pin()
    accept_by, resolve_by = config.clock_for(unit.province).deadlines(
        now, field=field, urgency=urgency, level=holder.unit.level.code)
    try:
        with transaction.atomic():
            petition = Petition.objects.create(
                province_id=province_id, code=next_tracking_code(timezone.localdate(now), unit.province or unit),
                unit=unit, household=household, anonymous=anonymous, citizen_name=citizen_name,
                citizen_phone=citizen_phone,
                field=field, urgency=urgency, text=text, text_folded=fold(text), channel=channel,
                source_ref=source_ref, source_key=key, pin_hash=pin_hash, latitude=latitude,
                longitude=longitude, status=states.RECEIVED, holder_unit=holder.unit, holder_agency=holder.agency,
                received_at=now, accept_due_at=accept_by, due_at=resolve_by,
                created_by=actor if actor is not None else None)
            PetitionHolding.objects.create(petition=petition, province_id=province_id, unit=holder.unit,
                                           agency=holder.agency, started_at=now, accept_due_at=accept_by,
                                           due_at=resolve_by)
            _event(petition, actor=actor, action="receive", at=now, from_status="",
                   note=str(Channel(channel).label))
            _store_files(petition, checked, actor)
            audit.record(actor=actor, action="petition.receive", obj=petition, after=_snapshot(petition))
    except IntegrityError:
        if key:
            existing = Petition.objects.filter(province_id=province_id, channel=channel, source_key=key).first()
            if existing is not None:
                return existing
        raise
    petition.pin = pin  # for the receipt only; an existing concern returned above has none
    return petition


def _store_files(petition: Petition, checked: list[attachments.Checked], actor: User | None,
                 answer: Answer | None = None) -> None:
    for item in checked:
        row = Attachment(petition=petition, province_id=petition.province_id, answer=answer, name=item.name,
                         content_type=item.content_type, size=item.size,
                         uploaded_by=actor if actor is not None else None)
        row.file.save(item.name, File(item.upload), save=False)
        row.save()


# -- steps on a concern ----------------------------------------------------------------------------
def _lock(petition: Petition, action: str, version: int | None) -> Petition:
    # Lock the bare row first: a locking query with joins would, after waiting for another handler,
    # re-check the joined rows of before the change (PostgreSQL) and lose the concern.
    list(Petition.objects.select_for_update().filter(pk=petition.pk).values_list("pk", flat=True))
    locked = (Petition.objects.select_related("holder_unit__level", "holder_agency__unit", "unit__level", "province")
              .get(pk=petition.pk))
    locked.pin = petition.pin  # a PIN just given (in memory only) stays with the caller's concern
    if version is not None and locked.version != version:
        raise _stale(locked)
    if not states.allowed(locked.status, action):
        raise _refused(locked, action)
    return locked


def _require_handler(actor: User | None, petition: Petition) -> None:
    if not access.may_handle(actor, petition):
        raise PermissionDenied(_("Bạn không phải người đang giữ phản ánh này"))


def _save(petition: Petition, now: dt.datetime, *fields: str) -> None:
    """Write `fields` and bump the version, only if nobody else bumped it meanwhile."""
    changes = {name: getattr(petition, name) for name in fields}
    updated = Petition.objects.filter(pk=petition.pk, version=petition.version).update(
        **changes, version=F("version") + 1, updated_at=now)
    if not updated:
        raise _stale(petition)
    petition.version += 1
    petition.updated_at = now


def _open_holding(petition: Petition) -> PetitionHolding | None:
    return petition.holdings.filter(ended_at__isnull=True).order_by("-id").first()


def _end_holding(petition: Petition, outcome: str, now: dt.datetime) -> None:
    petition.holdings.filter(ended_at__isnull=True).update(ended_at=now, outcome=outcome)


def _cadre_of(actor: User | None) -> Any:
    return getattr(actor, "cadre", None) if actor is not None else None


def _hand_over(petition: Petition, target: routing.Holder, now: dt.datetime) -> None:
    """Make `target` the holder, with fresh deadlines for its level, and open its stint."""
    clock = config.clock_for(petition.province)
    accept_by, resolve_by = clock.deadlines(now, field=petition.field, urgency=petition.urgency,
                                            level=target.unit.level.code)
    petition.holder_unit, petition.holder_agency, petition.holder_cadre = target.unit, target.agency, target.cadre
    petition.accept_due_at, petition.due_at = accept_by, resolve_by
    PetitionHolding.objects.create(petition=petition, province_id=petition.province_id, unit=target.unit,
                                   agency=target.agency, cadre=target.cadre, started_at=now, accept_due_at=accept_by,
                                   due_at=resolve_by)


HOLDER_FIELDS = ("holder_unit", "holder_agency", "holder_cadre", "accept_due_at", "due_at")


def petition_accept(*, actor: User | None, petition: Petition, note: str = "", version: int | None = None) -> Petition:
    """The holder takes the concern up; the accepting cadre becomes its holder cadre."""
    with transaction.atomic():
        p = _lock(petition, states.ACCEPT, version)
        _require_handler(actor, p)
        before, from_status, now = _snapshot(p), p.status, timezone.now()
        cadre = _cadre_of(actor)
        p.status = states.ACCEPTED
        p.accepted_at = p.accepted_at or now
        if p.holder_cadre_id is None and cadre is not None:
            p.holder_cadre = cadre
        _save(p, now, "status", "accepted_at", "holder_cadre")
        holding = _open_holding(p)
        if holding is not None:
            holding.accepted_at = now
            holding.cadre_id = holding.cadre_id or p.holder_cadre_id
            holding.save(update_fields=["accepted_at", "cadre"])
        _event(p, actor=actor, action=states.ACCEPT, at=now, from_status=from_status, note=note.strip())
        audit.record(actor=actor, action="petition.accept", obj=p, before=before, after=_snapshot(p))
    return p


def petition_handle(*, actor: User | None, petition: Petition, note: str = "", version: int | None = None) -> Petition:
    """The holder starts handling the concern locally."""
    with transaction.atomic():
        p = _lock(petition, states.HANDLE, version)
        _require_handler(actor, p)
        before, from_status, now = _snapshot(p), p.status, timezone.now()
        p.status = states.HANDLING
        _save(p, now, "status")
        _event(p, actor=actor, action=states.HANDLE, at=now, from_status=from_status, note=note.strip())
        audit.record(actor=actor, action="petition.handle", obj=p, before=before, after=_snapshot(p))
    return p


def _reason(note: str, missing: str) -> str:
    """The note, or a refusal with `missing` (the translated request for it) when it is empty."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": missing})
    return note


def petition_escalate(*, actor: User | None, petition: Petition, note: str, version: int | None = None,
                      auto: bool = False) -> Petition:
    """Send the concern one level up: to the people's committee above (or over a department), with the
    cadre who follows the unit being left; both hear of it. `auto` is the overdue job's escalation."""
    action = states.AUTO_ESCALATE if auto else states.ESCALATE
    note = note.strip() if auto else _reason(note, _("Hãy ghi lý do chuyển cấp trên"))
    with transaction.atomic():
        p = _lock(petition, action, version)
        if not auto:
            _require_handler(actor, p)
        target = routing.next_level_up(p.holder_unit, p.holder_agency)
        if target is None:
            raise ValidationError({"note": _("Đây đã là cấp cao nhất; hãy chuyển cơ quan có thẩm quyền hoặc trả lời")})
        target = routing.Holder(unit=target.unit, agency=target.agency, cadre=routing.follower_of(p.holder_unit))
        before, from_status, holder_before, now = _snapshot(p), p.status, _holder_ids(p), timezone.now()
        left_unit = p.holder_unit
        _end_holding(p, Outcome.OVERDUE if auto else Outcome.ESCALATED, now)
        _hand_over(p, target, now)
        p.status = states.ESCALATED
        p.escalations += 1
        _save(p, now, "status", "escalations", *HOLDER_FIELDS)
        _event(p, actor=actor, action=action, at=now, from_status=from_status, before=holder_before, note=note)
        recipients = notify.leaders_of(target.unit, target.agency) + notify.users_of(routing.followers(left_unit))
        notify.send(p, Notification.Kind.ESCALATED,
                    f"Phản ánh {p.code} được chuyển lên {target.name}: {note}"[:400], recipients, now)
        audit.record(actor=actor, action=f"petition.{action}", obj=p, before=before,
                     after={**_snapshot(p), "note": note})
    return p


def petition_transfer(*, actor: User | None, petition: Petition, note: str, agency: Agency | None = None,
                      version: int | None = None) -> Petition:
    """Send the concern to the department competent for its field (nearest level up), or to the one chosen."""
    note = _reason(note, _("Hãy ghi lý do chuyển cơ quan có thẩm quyền"))
    with transaction.atomic():
        p = _lock(petition, states.TRANSFER, version)
        _require_handler(actor, p)
        current = p.holder_agency
        if agency is None:
            agency = routing.competent_department(p.unit, p.field, exclude=current)
            if agency is None:
                raise ValidationError({"agency": _("Không tìm thấy sở, ngành có thẩm quyền với lĩnh vực này; hãy chọn "
                                                   "cơ quan nhận")})
        elif agency.kind != AgencyKind.DEPARTMENT or agency.pk not in {
                a.pk for a in routing.departments_reachable(p.unit)}:
            raise ValidationError({"agency": routing.NOT_A_DEPARTMENT})  # its name may be outside the scope
        if current is not None and agency.pk == current.pk:
            raise ValidationError({"agency": _("Phản ánh đang do chính cơ quan này giữ")})
        agency = Agency.objects.select_related("unit__level").get(pk=agency.pk)
        before, from_status, holder_before, now = _snapshot(p), p.status, _holder_ids(p), timezone.now()
        _end_holding(p, Outcome.TRANSFERRED, now)
        _hand_over(p, routing.Holder(unit=agency.unit, agency=agency), now)
        p.status = states.TRANSFERRED
        _save(p, now, "status", *HOLDER_FIELDS)
        _event(p, actor=actor, action=states.TRANSFER, at=now, from_status=from_status, before=holder_before,
               note=note)
        notify.send(p, Notification.Kind.TRANSFERRED, f"Phản ánh {p.code} được chuyển đến {agency.name}: {note}",
                    notify.leaders_of(agency.unit, agency), now)
        audit.record(actor=actor, action="petition.transfer", obj=p, before=before,
                     after={**_snapshot(p), "note": note})
    return p


def petition_answer(*, actor: User | None, petition: Petition, text: str, files: Sequence[Any] = (),
                    version: int | None = None) -> Petition:
    """The holder's answer (with documents); public on the tracking page; the citizen then rates it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy viết nội dung trả lời")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Trả lời dài tối đa %(max)d ký tự") % {"max": MAX_TEXT}})
    checked = attachments.check(list(files), field="files")
    with transaction.atomic():
        p = _lock(petition, states.ANSWER, version)
        _require_handler(actor, p)
        before, from_status, now = _snapshot(p), p.status, timezone.now()
        holding = _open_holding(p)
        if holding is None:  # a stint always exists for a concern in hand; repair rather than fail
            holding = PetitionHolding.objects.create(
                petition=p, province_id=p.province_id, unit=p.holder_unit, agency=p.holder_agency,
                cadre=p.holder_cadre, started_at=now, accept_due_at=p.accept_due_at, due_at=p.due_at, accepted_at=now)
        holding.ended_at, holding.outcome = now, Outcome.ANSWERED
        holding.cadre_id = holding.cadre_id or getattr(_cadre_of(actor), "pk", None)
        holding.save(update_fields=["ended_at", "outcome", "cadre"])
        answer = Answer.objects.create(petition=p, province_id=p.province_id, holding=holding, unit=p.holder_unit,
                                       agency=p.holder_agency, author=actor if actor is not None else None,
                                       text=text, answered_at=now)
        _store_files(p, checked, actor, answer=answer)
        p.status, p.answered_at = states.ANSWERED, now
        _save(p, now, "status", "answered_at")
        _event(p, actor=actor, action=states.ANSWER, at=now, from_status=from_status)
        audit.record(actor=actor, action="petition.answer", obj=p, before=before,
                     after={**_snapshot(p), "answer_id": answer.pk, "documents": len(checked)})
    return p


@dataclass(frozen=True)
class RatingEvidence:
    """Why a cadre's rating on a citizen's behalf can be trusted: a photo (or scan) of the rating form the
    citizen signed, or a call record — when, to which number, what the citizen said."""

    kind: str  # Rating.Evidence: "form" or "call"
    files: Sequence[Any] = ()
    call_at: dt.datetime | None = None
    call_number: str = ""
    note: str = ""


def _check_evidence(evidence: RatingEvidence | None, answer: Answer, now: dt.datetime) -> list[attachments.Checked]:
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    checked: list[attachments.Checked] = []
    if evidence is None or evidence.kind not in Rating.Evidence.values:
        bad("evidence", _("Ghi thay người dân cần bằng chứng: ảnh phiếu đánh giá có chữ ký, hoặc thông tin cuộc gọi."))
    elif evidence.kind == Rating.Evidence.FORM:
        if not evidence.files:
            bad("evidence_files", _("Hãy đính kèm ảnh phiếu đánh giá có chữ ký của người dân."))
        else:
            checked = attachments.check(list(evidence.files), field="evidence_files")
    else:
        if evidence.call_at is None:
            bad("call_at", _("Hãy ghi ngày giờ gọi điện cho người dân."))
        elif evidence.call_at > now or evidence.call_at < answer.answered_at:
            bad("call_at", _("Cuộc gọi phải sau khi trả lời và không ở tương lai."))
        if not PHONE.match((evidence.call_number or "").strip()):
            bad("call_number", _("Hãy ghi số điện thoại đã gọi, ví dụ 0912 345 678."))
        if not (evidence.note or "").strip():
            bad("evidence_note", _("Hãy ghi lại ý kiến người dân nói trong cuộc gọi."))
    if errors:
        raise ValidationError(errors)
    return checked


def _ratable_answer(p: Petition, action: str) -> Answer:
    answer = p.answers.filter(rating__isnull=True).select_related("holding", "unit", "agency").order_by(
        "-answered_at", "-id").first()
    if answer is None:
        raise _refused(p, action)
    return answer


def petition_rate(*, actor: User | None, petition: Petition, satisfied: bool, comment: str = "", pin: str = "",
                  evidence: RatingEvidence | None = None, version: int | None = None) -> Petition:
    """The citizen's rating of the answer: with no actor, from the tracking page with the concern's PIN; or,
    for a citizen without a phone, recorded by a cadre on their behalf with `evidence`, never by the holder
    who answered (access.may_record_rating). Satisfied closes the concern; not satisfied reopens it at the
    next level up. The stint rated remembers who rated it: proxy ratings are counted apart (rates.py)."""
    comment = (comment or "").strip()[:2000]
    action = states.RATE_SATISFIED if satisfied else states.RATE_UNSATISFIED
    with transaction.atomic():
        p = _lock(petition, action, version)
        now = timezone.now()
        checked: list[attachments.Checked] = []
        if actor is None:
            if not pin_matches(p, pin):
                raise ValidationError({"pin": _("Mã xác nhận không đúng")})
            answer = _ratable_answer(p, action)
        else:
            answer = _ratable_answer(p, action)
            if not access.may_record_rating(actor, p, answer):
                raise PermissionDenied(_("Bạn không được ghi đánh giá thay người dân cho phản ánh này: người ghi "
                                         "thay phải là cán bộ phụ trách địa bàn, không thuộc cơ quan đã trả lời."))
            checked = _check_evidence(evidence, answer, now)
        before, from_status, holder_before = _snapshot(p), p.status, _holder_ids(p)
        by_citizen = actor is None
        rating = Rating.objects.create(
            petition=p, province_id=p.province_id, answer=answer, satisfied=satisfied, comment=comment,
            by_citizen=by_citizen, recorded_by=actor if actor is not None else None, rated_at=now,
            evidence="" if by_citizen else evidence.kind,  # type: ignore[union-attr]  # checked above
            call_at=None if by_citizen else evidence.call_at,  # type: ignore[union-attr]
            call_number="" if by_citizen else (evidence.call_number or "").strip(),  # type: ignore[union-attr]
            evidence_note="" if by_citizen else (evidence.note or "").strip()[:2000])  # type: ignore[union-attr]
        for item in checked:
            row = Attachment(petition=p, province_id=p.province_id, rating=rating, name=item.name,
                             content_type=item.content_type, size=item.size, uploaded_by=actor)
            row.file.save(item.name, File(item.upload), save=False)
            row.save()
        PetitionHolding.objects.filter(pk=answer.holding_id).update(
            satisfied=satisfied, rated_by="citizen" if by_citizen else "proxy")
        if satisfied:
            p.status, p.closed_at = states.CLOSED, now
            _save(p, now, "status", "closed_at")
        else:
            target = routing.next_level_up(answer.unit, answer.agency) or routing.Holder(
                unit=answer.unit, agency=answer.agency)
            _hand_over(p, target, now)
            p.status = states.REOPENED
            _save(p, now, "status", *HOLDER_FIELDS)
            notify.send(p, Notification.Kind.REOPENED,
                        f"Phản ánh {p.code} được mở lại vì người dân chưa hài lòng với trả lời",
                        notify.leaders_of(target.unit, target.agency), now)
        note = comment if by_citizen else " · ".join(filter(None, [str(Rating.Evidence(rating.evidence).label),
                                                                    comment]))
        _event(p, actor=actor, action=action, at=now, from_status=from_status, before=holder_before, note=note)
        audit.record(actor=actor, action=f"petition.{action}", obj=p, before=before,
                     after={**_snapshot(p), "by_citizen": by_citizen, "evidence": rating.evidence,
                            "evidence_files": len(checked)})
    return p


def reopen_deadline(petition: Petition) -> dt.datetime | None:
    """Until when the citizen may reopen the closed concern (None: it is not closed)."""
    if petition.status != states.CLOSED or petition.closed_at is None:
        return None
    return petition.closed_at + dt.timedelta(days=config.reopen_days(petition.province))


def petition_reopen(*, petition: Petition, pin: str, reason: str, version: int | None = None) -> Petition:
    """The citizen reopens a closed concern with its PIN (the problem came back), within the province's
    window after it closed, whatever they rated. The holder who answered it last holds it again, with
    fresh deadlines; its leaders hear of it. Earlier ratings stay as they were."""
    reason = (reason or "").strip()[:2000]
    with transaction.atomic():
        p = _lock(petition, states.REOPEN, version)
        if not pin_matches(p, pin):
            raise ValidationError({"pin": _("Mã xác nhận không đúng")})
        if not reason:
            raise ValidationError({"reason": _("Hãy cho biết vấn đề tái diễn như thế nào.")})
        now = timezone.now()
        until = reopen_deadline(p)
        if until is None or now > until:
            raise ValidationError({"reason": _("Đã quá thời hạn mở lại phản ánh này; hãy gửi một phản ánh mới.")})
        answer = p.answers.select_related("unit", "agency").order_by("-answered_at", "-id").first()
        target = routing.Holder(unit=answer.unit, agency=answer.agency) if answer is not None else routing.Holder(
            unit=p.holder_unit, agency=p.holder_agency)
        before, from_status, holder_before = _snapshot(p), p.status, _holder_ids(p)
        _hand_over(p, target, now)
        p.status, p.closed_at = states.REOPENED, None
        _save(p, now, "status", "closed_at", *HOLDER_FIELDS)
        _event(p, actor=None, action=states.REOPEN, at=now, from_status=from_status, before=holder_before,
               note=reason)
        message = _("Phản ánh %(code)s được người dân mở lại: %(reason)s") % {"code": p.code, "reason": reason}
        notify.send(p, Notification.Kind.REOPENED, message[:400], notify.leaders_of(target.unit, target.agency), now)
        audit.record(actor=None, action="petition.reopen", obj=p, before=before, after={**_snapshot(p),
                                                                                        "reason": reason})
    return p


def petition_pin_issue(*, actor: User | None, petition: Petition) -> Petition:
    """A new PIN for a citizen who never got one (a concern heard on a visit) or lost it, shown once on
    the receipt printed for them; the old PIN stops working. For those who see the citizen's contact; on
    the public timeline, so the citizen would see a PIN they did not ask for."""
    with transaction.atomic():
        list(Petition.objects.select_for_update().filter(pk=petition.pk).values_list("pk", flat=True))
        p = Petition.objects.select_related("holder_unit", "holder_agency__unit", "unit", "province").get(
            pk=petition.pk)
        if p.status in states.FINAL - {states.CLOSED}:
            raise _refused(p, "pin_issue")
        if actor is not None and not access.sees_contact(actor, p):
            raise PermissionDenied(_("Bạn không được cấp mã xác nhận cho phản ánh này."))
        now = timezone.now()
        pin, p.pin_hash = new_pin()
        _save(p, now, "pin_hash")
        _event(p, actor=actor, action="pin_issue", at=now, from_status=p.status)
        audit.record(actor=actor, action="petition.pin_issue", obj=p, after=_snapshot(p))
    p.pin = pin
    return p


def petition_route_out(*, actor: User | None, petition: Petition, kind: str, reason: str,
                       version: int | None = None) -> Petition:
    """Triage: a complaint (khiếu nại) or denunciation (tố cáo) follows its own law; it leaves this flow
    with the reason recorded (and shown on the tracking page)."""
    if kind not in (Kind.COMPLAINT, Kind.DENUNCIATION):
        raise ValidationError({"kind": _("Chỉ khiếu nại hoặc tố cáo mới được chuyển ra")})
    reason = _reason(reason, _("Hãy ghi lý do chuyển xử lý theo pháp luật khiếu nại, tố cáo"))
    with transaction.atomic():
        p = _lock(petition, states.ROUTE_OUT, version)
        _require_handler(actor, p)
        before, from_status, now = _snapshot(p), p.status, timezone.now()
        _end_holding(p, Outcome.ROUTED_OUT, now)
        p.status, p.kind, p.kind_reason, p.closed_at = states.ROUTED_OUT, kind, reason, now
        _save(p, now, "status", "kind", "kind_reason", "closed_at")
        _event(p, actor=actor, action=states.ROUTE_OUT, at=now, from_status=from_status, note=reason)
        audit.record(actor=actor, action="petition.route_out", obj=p, before=before,
                     after={**_snapshot(p), "reason": reason})
    return p


def petition_merge(*, actor: User | None, source: Petition, target: Petition, note: str = "",
                   version: int | None = None) -> Petition:
    """Fold duplicate `source` into `target`: source ends (merged, pointing at target); target carries on.
    Returns the target."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("Không thể gộp một phản ánh vào chính nó")})
    if source.province_id != target.province_id:
        raise ValidationError({"target": _("Hai phản ánh thuộc hai tỉnh khác nhau")})
    with transaction.atomic():
        # Lock both rows in id order, so that two merges of the same pair cannot deadlock.
        list(Petition.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
             .values_list("pk", flat=True))
        s = _lock(source, states.MERGE, version)
        t = Petition.objects.select_related("holder_agency__unit", "holder_unit").get(pk=target.pk)
        if t.status in states.FINAL:
            raise ValidationError({"target": _("Phản ánh %(code)s đã kết thúc, không gộp vào được") % {"code": t.code}})
        _require_handler(actor, s)
        _require_handler(actor, t)
        before, from_status, now = _snapshot(s), s.status, timezone.now()
        _end_holding(s, Outcome.MERGED, now)
        s.status, s.merged_into, s.closed_at = states.MERGED, t, now
        _save(s, now, "status", "merged_into", "closed_at")
        text = note.strip()
        _event(s, actor=actor, action=states.MERGE, at=now, from_status=from_status,
               note=f"→ {t.code}" + (f": {text}" if text else ""))
        PetitionEvent.objects.create(petition=t, province_id=t.province_id, at=now, actor=actor, actor_label=_label(
            actor), action="merge_in", from_status=t.status, to_status=t.status, to_unit_id=t.holder_unit_id,
            to_agency_id=t.holder_agency_id, to_cadre_id=t.holder_cadre_id, note=f"← {s.code}")
        audit.record(actor=actor, action="petition.merge", obj=s, before=before,
                     after={**_snapshot(s), "target": t.code})
    return t


def notifications_read(*, actor: User, ids: Sequence[int] | None = None) -> int:
    """Mark the actor's notifications read (all, or those listed)."""
    with transaction.atomic():
        rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        count = rows.update(read_at=timezone.now())
        if count:
            audit.record(actor=actor, action="petition.notifications_read", object_type="petitions.notification",
                         object_id=str(actor.pk), after={"count": count})
    return count
