"""Writes on the monthly evaluation: open the month, step 1 (the cadre), step 2 (the assessor), step 3
(the leadership concludes and locks the agency's month), and the reopening by the level above. Atomic,
audited (gandan/core/audit.py); who may act at each step is access.py.

Opening a month is set-based: the agencies under a unit, all their cadres' sheets and criteria rows are
bulk-inserted, and the evidence is computed for the whole set at once (evidence.py, one statement per
kind) — never a query per cadre.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.concurrency import Stale, check_version
from gandan.core.paths import path_q
from gandan.evaluation import access, scoring, sheet_writes, task_groups
from gandan.evaluation import evidence as ev
from gandan.evaluation.models import (
    AgencyMonth,
    MonthStatus,
    Reopening,
    Rubric,
    RubricKind,
    Sheet,
    SheetStatus,
)
from gandan.evaluation.rubric import RubricError, RubricRules, shown_label
from gandan.org.models import AdminUnit, Agency
from gandan.people.models import Cadre, User
from gandan.plans.periods import month_bounds

BATCH = 2000
RUBRIC_MAX_CHARS = 100_000


class CapExceeded(ValidationError):
    """Step 3 refused: more excellent than the cap allows; `above` names the sheets above the line."""

    def __init__(self, above: list[int], names: list[str]) -> None:
        super().__init__({"grade": [_("Số “Hoàn thành xuất sắc” vượt tỷ lệ cho phép. Vượt ngưỡng: %(names)s.")
                                    % {"names": ", ".join(names)}]})
        self.above = above


class SheetsChanged(Exception):
    """Step 3 refused: sheets of the month changed after the page was read (their versions moved, as a
    concurrency.Stale of each); `names` says whose. Nothing is concluded."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(_("Phiếu của %(names)s vừa được thay đổi sau khi bạn mở trang; tháng chưa được kết luận.")
                         % {"names": ", ".join(names)})
        self.names = names


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# -- rubrics -----------------------------------------------------------------------------------------
def default_rubrics_ensure() -> int:
    """The two shipped national rubrics (migration 0002 seeds them), put back where a database was
    emptied without its migrations (a flushed test database, a demo loaded after `flush`); how many."""
    from gandan.evaluation.rubric import DECREE_335, REGULATION_366

    made = 0
    for kind, name, valid_from, body in (
            ("civil_servant", "Nghị định 335/2025/NĐ-CP", dt.date(2026, 1, 1), DECREE_335),
            ("party_member", "Quy định 366-QĐ/TW", dt.date(2025, 1, 1), REGULATION_366)):
        _rubric, created = Rubric.objects.get_or_create(
            province=None, agency=None, kind=kind, valid_from=valid_from,
            defaults={"name": name, "body": json.loads(json.dumps(body))})
        made += created
    return made


def rubric_versions(province_ids: Sequence[int], kind: str, on: dt.date) -> list[Rubric]:
    """Every version that could apply on `on`: national, the provinces', their agencies' (newest first)."""
    return list(Rubric.objects.filter(Q(province__isnull=True) | Q(province_id__in=list(province_ids)),
                                      kind=kind, valid_from__lte=on).order_by("-valid_from", "-id"))


def pick_rubric(versions: Sequence[Rubric], province_id: int | None, agency_id: int) -> Rubric | None:
    """The agency's own newest version, else its province's, else the national one."""
    for match in (lambda r: r.agency_id == agency_id, lambda r: r.province_id == province_id and not r.agency_id,
                  lambda r: r.province_id is None):
        found = next((r for r in versions if match(r)), None)
        if found is not None:
            return found
    return None


def rubric_save(*, actor: User | None, kind: str, name: str, valid_from: dt.date, body: dict[str, Any],
                province: AdminUnit | None = None, agency: Agency | None = None) -> Rubric:
    """A new dated version of the national default (`province` None), a province's or one of its
    agencies': the body is checked first (the error names the part); old versions stay as they were, and
    every sheet keeps the version it was made with. The system (`actor` None) may issue any."""
    if actor is not None and not access.may_edit_rubric(actor, province):
        raise PermissionDenied(_("Chỉ quản trị hoặc lãnh đạo của tỉnh được ban hành bộ tiêu chí của tỉnh; "
                                 "bộ mặc định toàn quốc do quản trị toàn quốc ban hành."))
    errors: dict[str, list[str]] = {}
    if kind not in RubricKind.values:
        errors["kind"] = [_("Loại bộ tiêu chí không hợp lệ.")]
    if not name.strip():
        errors["name"] = [_("Hãy đặt tên cho phiên bản bộ tiêu chí.")]
    if agency is not None and (province is None or (agency.province_id or agency.unit_id) != province.pk):
        errors["agency"] = [_("Cơ quan không thuộc tỉnh của bộ tiêu chí.")]
    if province is not None and province.parent_id is not None:
        errors["province"] = [_("Bộ tiêu chí được ban hành cho một tỉnh (hoặc cơ quan của tỉnh).")]
    text = json.dumps(body, cls=DjangoJSONEncoder)
    if len(text) > RUBRIC_MAX_CHARS or "\\u0000" in text:
        errors["body"] = [_("Bộ tiêu chí quá dài hoặc có ký tự không hợp lệ.")]
    else:
        try:
            RubricRules.from_data(body)
        except (RubricError, TypeError, ValueError, AttributeError) as exc:
            errors[getattr(exc, "field", "") or "body"] = [str(exc) if isinstance(exc, RubricError) else
                                                           _("Bộ tiêu chí không đúng cấu trúc.")]
    same = Rubric.objects.filter(kind=kind, valid_from=valid_from, province=province,
                                 agency=agency)
    if not errors and same.exists():
        errors["valid_from"] = [_("Đã có phiên bản áp dụng từ ngày %(date)s cho phạm vi này; hãy chọn ngày khác.")
                                % {"date": f"{valid_from:%d/%m/%Y}"}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rubric = Rubric.objects.create(province=province, agency=agency, kind=kind, name=name.strip()[:200],
                                       valid_from=valid_from, body=jsonable(body), created_by=actor)
        audit.record(actor=actor, action="evaluation.rubric.create", obj=rubric,
                     province_id=province.pk if province else None,
                     after=audit.snapshot(rubric, ["kind", "name", "valid_from", "agency_id", "body"]))
    return rubric


# -- opening the month -------------------------------------------------------------------------------
def month_open(*, actor: User | None, unit: AdminUnit, month: dt.date,
               kind: str = RubricKind.CIVIL_SERVANT) -> list[AgencyMonth]:
    """Open the month of the `kind` track for every agency under `unit` not yet opened: a sheet for each of
    their cadres who had not left by the month's first day (for the party members' track, those who are
    party members), pre-filled with the evidence. Returns the months opened."""
    if actor is not None and not access.leads_unit(actor, unit):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được mở kỳ đánh giá."))
    first, last = month_bounds(month)
    opened = AgencyMonth.objects.filter(agency=OuterRef("pk"), month=first, kind=kind)
    agencies = list(Agency.objects.filter(path_q([unit.path], "unit__path")).exclude(Exists(opened))
                    .select_related("unit"))
    if not agencies:
        return []
    province_ids = sorted({a.province_id or a.unit_id for a in agencies})
    versions = rubric_versions(province_ids, kind, first)
    chosen = {a.pk: pick_rubric(versions, a.province_id, a.pk) for a in agencies}
    missing = [a.name for a in agencies if chosen[a.pk] is None]
    if missing and default_rubrics_ensure():  # the shipped defaults were gone (an emptied database)
        versions = rubric_versions(province_ids, kind, first)
        chosen = {a.pk: pick_rubric(versions, a.province_id, a.pk) for a in agencies}
        missing = [a.name for a in agencies if chosen[a.pk] is None]
    if missing:
        raise ValidationError({"rubric": [_("Chưa có bộ tiêu chí áp dụng cho tháng %(month)s: %(agencies)s.") % {
            "month": f"{first:%m/%Y}", "agencies": ", ".join(missing[:5])}]})
    cadres = (Cadre.objects.filter(agency__in=[a.pk for a in agencies])
              .filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
              .filter(Q(is_party_member=True) if kind == RubricKind.PARTY_MEMBER else Q())
              .annotate(leads=Exists(Cadre.objects.filter(manager=OuterRef("pk"), left_on__isnull=True))))
    rows = list(cadres.values_list("pk", "agency_id", "unit_id", "province_id", "manager_id", "leads"))
    found = ev.evidence_for(cadres, first, last)
    rules_of = {pk: scoring.rubric_rules(r) for pk, r in chosen.items() if r is not None}
    codes_of = {pk: tuple(c.code for c in rules.general) for pk, rules in rules_of.items()}
    rubric_of = {pk: r.pk for pk, r in chosen.items() if r is not None}
    groups = task_groups.groups_of(a.pk for a in agencies)
    with transaction.atomic():
        months = AgencyMonth.objects.bulk_create([
            AgencyMonth(province_id=a.province_id or a.unit_id, unit_id=a.unit_id, agency=a, month=first, kind=kind)
            for a in agencies], batch_size=BATCH)
        by_agency = {m.agency_id: m.pk for m in months}
        counts = sheet_writes.insert_sheets([
            sheet_writes.NewSheet(
                province_id=province_id, unit_id=unit_id, agency_month_id=by_agency[agency_id], cadre_id=pk,
                month=first, kind=kind, rubric_id=rubric_of[agency_id],
                assessor_id=manager_id, is_leader=leads, task_group=groups.get(pk, ""),
                evidence={**found[pk], "suggested": _suggested(found[pk], rules_of[agency_id])},
                codes=codes_of[agency_id])
            for pk, agency_id, unit_id, province_id, manager_id, leads in rows])
        for m in months:
            audit.record(actor=actor, action="evaluation.month.open", obj=m,
                         after={"month": first, "agency": m.agency_id, "kind": kind, "sheets": counts[m.pk]})
    return months


def _suggested(found: Mapping[str, Any], rubric: RubricRules) -> dict[str, str]:
    out = {}
    for c in rubric.general:
        if c.evidence and c.evidence != "tasks":
            points = ev.suggested_points(found, c.evidence, c.max_points)
            if points is not None:
                out[c.code] = str(points)
    return out


# -- steps 1 and 2 -----------------------------------------------------------------------------------
def _editable(sheet: Sheet) -> None:
    if sheet.agency_month.locked:
        raise ValidationError({"status": [_("Tháng đánh giá đã kết luận và khóa; chỉ cấp trên được mở lại.")]})


def _fresh(sheet: Sheet, version: int | None) -> None:
    """A step sent from a page drawn before the sheet last changed is stale before anything else is
    checked (checked again on the locked row)."""
    if version is not None and sheet.version != version:
        raise Stale(sheet.version)


def _points(raw: Mapping[str, Any], rubric: RubricRules, *, required: bool) -> dict[str, Decimal]:
    """Each criterion's points, checked against its maximum; errors name the criterion."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Decimal] = {}
    for c in rubric.general:
        value = raw.get(c.code)
        if value in (None, ""):
            if required:
                errors[c.code] = [_("%(criterion)s: hãy cho điểm.") % {"criterion": shown_label(c.label)}]
            continue
        try:
            points = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            errors[c.code] = [_("%(criterion)s: điểm phải là số.") % {"criterion": shown_label(c.label)}]
            continue
        if not points.is_finite() or not 0 <= points <= c.max_points or points != points.quantize(Decimal("0.01")):
            errors[c.code] = [_("%(criterion)s: điểm từ 0 đến %(max)s (hai chữ số thập phân).") % {
                "criterion": shown_label(c.label), "max": c.max_points}]
            continue
        out[c.code] = points
    unknown = sorted(set(raw) - {c.code for c in rubric.general})
    if unknown:
        errors["points"] = [_("Không có tiêu chí: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return out


def _refresh_score(sheet: Sheet, rubric: RubricRules) -> None:
    score = scoring.sheet_score(sheet, rubric)
    sheet.general_points, sheet.task_points, sheet.total = score.general, score.tasks, score.total
    sheet.computed_grade = scoring.sheet_grade(sheet, rubric, score.total, sheet.vetoes)


SCORE_FIELDS = ["status", "general_points", "task_points", "total", "computed_grade"]


def sheet_self_assess(*, actor: User | None, sheet: Sheet, points: Mapping[str, Any], comment: str = "",
                      version: int | None = None) -> Sheet:
    """Step 1: the cadre scores every general criterion, until the assessor has acted.
    A stale `version` (the sheet changed since the caller read it) raises concurrency.Stale."""
    if not access.is_self(actor, sheet):
        raise PermissionDenied(_("Chỉ cán bộ được đánh giá tự chấm phiếu của mình."))
    _fresh(sheet, version)
    _editable(sheet)
    if sheet.status not in (SheetStatus.OPEN, SheetStatus.SELF_ASSESSED):
        raise ValidationError({"status": [_("Người đánh giá đã chấm phiếu này; không tự chấm lại được.")]})
    rubric = scoring.rubric_rules(sheet.rubric)
    values = _points(points, rubric, required=True)
    with transaction.atomic():
        locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
        check_version(locked, version)
        before = {**audit.snapshot(locked, SCORE_FIELDS),
                  "points": {s.code: s.self_points for s in locked.scores.all()}}
        for score in locked.scores.all():
            score.self_points = values[score.code]
            score.save(update_fields=["self_points"])
        locked.self_comment, locked.self_assessed_at = comment.strip(), timezone.now()
        locked.status = SheetStatus.SELF_ASSESSED
        _refresh_score(locked, rubric)
        locked.save(update_fields=[*SCORE_FIELDS, "self_comment", "self_assessed_at", "version"])
        audit.record(actor=actor, action="evaluation.sheet.self", obj=locked, before=before,
                     after={**audit.snapshot(locked, SCORE_FIELDS), "points": values, "comment": locked.self_comment})
    return locked


def sheet_assess(*, actor: User | None, sheet: Sheet, points: Mapping[str, Any], reasons: Mapping[str, str],
                 comment: str = "", exceeding: Decimal | None = None, version: int | None = None) -> Sheet:
    """Step 2: the assessor confirms or changes each criterion; a change needs its reason.
    A stale `version` raises concurrency.Stale."""
    if not access.may_assess(actor, sheet):
        raise PermissionDenied(_("Chỉ người quản lý trực tiếp (hoặc lãnh đạo đơn vị) được đánh giá phiếu này."))
    _fresh(sheet, version)
    _editable(sheet)
    if sheet.status not in (SheetStatus.SELF_ASSESSED, SheetStatus.ASSESSED):
        raise ValidationError({"status": [_("Cán bộ chưa tự đánh giá; bước 2 chờ bước 1.")]})
    rubric = scoring.rubric_rules(sheet.rubric)
    values = _points(points, rubric, required=True)
    current = {s.code: s for s in sheet.scores.all()}
    errors = {code: [_("%(criterion)s: điểm khác điểm tự chấm, hãy ghi lý do.") % {
        "criterion": shown_label(rubric.criterion(code).label)}]  # type: ignore[union-attr]  # checked by _points
        for code, value in values.items()
        if value != current[code].self_points and not (reasons.get(code) or "").strip()}
    if exceeding is not None and exceeding < 0:
        errors["exceeding"] = [_("Số sản phẩm vượt yêu cầu không được âm.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
        check_version(locked, version)
        before = {**audit.snapshot(locked, [*SCORE_FIELDS, "exceeding"]),
                  "points": {s.code: s.assessor_points for s in locked.scores.all()}}
        for score in locked.scores.all():
            score.assessor_points = values[score.code]
            score.reason = (reasons.get(score.code) or "").strip() if values[score.code] != score.self_points else ""
            score.save(update_fields=["assessor_points", "reason"])
        if exceeding is not None:
            locked.exceeding = exceeding
        locked.assessor_comment, locked.assessed_by, locked.assessed_at = comment.strip(), actor, timezone.now()
        locked.status = SheetStatus.ASSESSED
        _refresh_score(locked, rubric)
        locked.save(update_fields=[*SCORE_FIELDS, "exceeding", "assessor_comment", "assessed_by", "assessed_at",
                                   "version"])
        audit.record(actor=actor, action="evaluation.sheet.assess", obj=locked, before=before,
                     after={**audit.snapshot(locked, [*SCORE_FIELDS, "exceeding"]), "points": values,
                            "reasons": {k: v for k, v in reasons.items() if v}})
    return locked


def sheet_leave(*, actor: User | None, sheet: Sheet, on_leave: bool, days_worked: int) -> Sheet:
    """The leadership records legitimate, sick or maternity leave: a month not worked is not counted."""
    if not access.may_conclude(actor, sheet.agency_month):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị ghi nhận thời gian nghỉ theo chế độ."))
    _editable(sheet)
    if not 0 <= days_worked <= 31:
        raise ValidationError({"days_worked": [_("Số ngày làm việc từ 0 đến 31.")]})
    with transaction.atomic():
        before = audit.snapshot(sheet, ["on_leave", "days_worked"])
        sheet.on_leave, sheet.days_worked, sheet.version = on_leave, days_worked, F("version") + 1
        sheet.save(update_fields=["on_leave", "days_worked", "version"])
        sheet.refresh_from_db(fields=["version"])
        audit.record(actor=actor, action="evaluation.sheet.leave", obj=sheet, before=before,
                     after=audit.snapshot(sheet, ["on_leave", "days_worked"]))
    return sheet


def sheet_initiatives(*, actor: User | None, sheet: Sheet, initiatives: bool, reason: str) -> Sheet:
    """A leader's initiatives this month (the organising criterion is 100% only with all tasks on time,
    at quality, with initiatives): recorded at step 2 by the assessor or at step 3 by the leadership,
    with what they were. Plans records no initiatives, so this is where they are said."""
    if not (access.may_assess(actor, sheet) or (actor is not None and access.may_conclude(actor, sheet.agency_month))):
        raise PermissionDenied(_("Chỉ người đánh giá hoặc lãnh đạo của đơn vị ghi nhận sáng kiến."))
    _editable(sheet)
    errors: dict[str, list[str]] = {}
    if not sheet.is_leader:
        errors["initiatives"] = [_("Sáng kiến chỉ tính cho người đứng đầu, lãnh đạo quản lý.")]
    if initiatives and not reason.strip():
        errors["initiatives_reason"] = [_("Hãy ghi sáng kiến là gì.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(sheet, ["initiatives", "initiatives_reason"])
        sheet.initiatives, sheet.initiatives_reason = initiatives, reason.strip() if initiatives else ""
        sheet.version = F("version") + 1
        sheet.save(update_fields=["initiatives", "initiatives_reason", "version"])
        sheet.refresh_from_db(fields=["version"])
        audit.record(actor=actor, action="evaluation.sheet.initiatives", obj=sheet, before=before,
                     after=audit.snapshot(sheet, ["initiatives", "initiatives_reason"]))
    return sheet


# -- step 3 and reopening ----------------------------------------------------------------------------
def month_sheets(month: AgencyMonth) -> list[Sheet]:
    return list(month.sheets.select_related("cadre", "rubric").prefetch_related("scores").order_by("pk"))


def month_conclude(*, actor: User | None, month: AgencyMonth, vetoes: Mapping[int, Sequence[str]] | None = None,
                   grades: Mapping[int, str] | None = None, versions: Mapping[int, int] | None = None) -> AgencyMonth:
    """Step 3: conclude the whole agency's month and lock it. Refused while a sheet has not been through
    step 2, or when the excellent exceed the cap (CapExceeded names who is above the line). `versions`:
    each sheet's version the caller saw; one that moved since raises SheetsChanged (none sent: act on the
    latest). Concluding counts as a change of every sheet. The system (`actor` None: the demo, a command)
    concludes under the same rules."""
    if actor is not None and not access.may_conclude(actor, month):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được kết luận tháng đánh giá."))
    if month.locked:
        raise ValidationError({"status": [_("Tháng đánh giá đã kết luận và khóa.")]})
    with transaction.atomic():
        month = AgencyMonth.objects.select_for_update().select_related("unit").get(pk=month.pk)
        now = dict(Sheet.objects.select_for_update().filter(agency_month=month).values_list("pk", "version"))
        sheets = month_sheets(month)
        moved = [s for s in sheets if versions and s.pk in versions and versions[s.pk] != now.get(s.pk)]
        if moved:
            raise SheetsChanged([s.cadre.full_name for s in moved])
        result = scoring.conclusion(month, sheets, vetoes=vetoes, grades=grades)
        if result.not_ready:
            raise ValidationError({"status": [_("Còn %(n)s phiếu chưa qua bước 2: %(names)s.") % {
                "n": len(result.not_ready), "names": ", ".join(s.cadre.full_name for s in result.not_ready[:10])}]})
        if result.above:
            raise CapExceeded(result.above, result.above_names)
        _write_conclusion(month, result)
        month.status, month.concluded_by, month.concluded_at = MonthStatus.CONCLUDED, actor, timezone.now()
        month.published = True
        month.save(update_fields=["status", "concluded_by", "concluded_at", "published"])
        now_values = scoring.values(sheets)
        reopening = month.reopenings.filter(after__isnull=True).order_by("-id").first()
        if reopening is not None:
            reopening.after = jsonable(now_values)
            reopening.save(update_fields=["after"])
        audit.record(actor=actor, action="evaluation.month.conclude", obj=month,
                     after={"distribution": result.distribution, "sheets": now_values,
                            "reopening": reopening.pk if reopening else None})
    return month


def _write_conclusion(month: AgencyMonth, result: scoring.Conclusion) -> None:
    """A few statements whatever the agency's size: the scores that changed since step 2 (a leader's
    direction criteria, a veto), then one UPDATE per grade, the vetoes, and the status of every sheet."""
    changed, by_grade, vetoed = [], defaultdict(list), []
    for row in result.rows:
        s = row.sheet
        if row.score is not None and (s.general_points, s.task_points, s.total, s.computed_grade) != (
                row.score.general, row.score.tasks, row.score.total, row.computed):
            s.general_points, s.task_points, s.total = row.score.general, row.score.tasks, row.score.total
            s.computed_grade = row.computed
            changed.append(s)
        by_grade[row.grade].append(s.pk)
        if row.vetoes != s.vetoes:
            s.vetoes = row.vetoes
            vetoed.append(s)
        s.grade, s.status = row.grade, SheetStatus.CONCLUDED
    Sheet.objects.bulk_update(changed, ["general_points", "task_points", "total", "computed_grade"], batch_size=BATCH)
    Sheet.objects.bulk_update(vetoed, ["vetoes"], batch_size=BATCH)
    for grade, ids in by_grade.items():
        Sheet.objects.filter(pk__in=ids).update(grade=grade)
    month.sheets.update(status=SheetStatus.CONCLUDED, version=F("version") + 1)


def month_reopen(*, actor: User | None, month: AgencyMonth, reason: str) -> Reopening:
    """The level above reopens a concluded month, with a reason; the values it had stay in `before`."""
    if not access.may_reopen(actor, month):
        raise PermissionDenied(_("Chỉ lãnh đạo cấp trên được mở lại tháng đã kết luận."))
    if not month.locked:
        raise ValidationError({"status": [_("Tháng đánh giá chưa kết luận; không cần mở lại.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Hãy ghi lý do mở lại.")]})
    assert actor is not None  # may_reopen refuses the system
    with transaction.atomic():
        month = AgencyMonth.objects.select_for_update().get(pk=month.pk)
        sheets = month_sheets(month)
        before = scoring.values(sheets)
        reopening = Reopening.objects.create(province_id=month.province_id, agency_month=month,
                                             reason=reason.strip(), reopened_by=actor,
                                             before=jsonable(before))
        month.sheets.filter(status=SheetStatus.CONCLUDED).update(status=SheetStatus.ASSESSED,
                                                                  version=F("version") + 1)
        month.status = MonthStatus.REOPENED
        month.save(update_fields=["status"])
        audit.record(actor=actor, action="evaluation.month.reopen", obj=month,
                     before={"status": MonthStatus.CONCLUDED, "sheets": before},
                     after={"status": MonthStatus.REOPENED, "reason": reopening.reason, "reopening": reopening.pk})
    return reopening
