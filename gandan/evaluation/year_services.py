"""Writes on the year: the annual grade of an agency's cadres (rules.annual over the concluded months,
with the leave and transfer rules of the rubric version in force: that of the cadre's latest concluded
month in the agency, which grades the year; the year's vetoes and cap), the emulation titles proposed from
it, and commendations. Atomic, audited.

Commendations go to the one register of decisions, the campaigns' `Decision` (a cadre's commendation on
no model: `model_services.cadre_commend`), where the decisions on exemplary models are too; the year's
review reads it back (queries.commendations), so a cadre's praise for a model counts beside the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gandan.campaigns import model_services
from gandan.campaigns.models import Decision
from gandan.core import audit
from gandan.evaluation import access, rules, scoring, task_groups
from gandan.evaluation.models import (
    AnnualResult,
    Grade,
    ProposalStatus,
    RubricKind,
    Sheet,
    SheetStatus,
    TitleProposal,
)
from gandan.evaluation.rubric import RubricRules
from gandan.org.models import Agency
from gandan.people.models import Cadre, User

ANNUAL_FIELDS = ["province", "unit", "agency", "rubric", "months", "months_counted", "total", "grade",
                 "computed_grade", "vetoes", "computed_by", "computed_at"]


def in_force(sheets: Sequence[Sheet], agency_id: int) -> Sheet:
    """The sheet whose rubric version grades the cadre's year: the latest made in the agency (the new unit
    grades a transfer), else the latest."""
    return next((s for s in reversed(sheets) if s.agency_month.agency_id == agency_id), sheets[-1])


def _months(sheets: Sequence[Sheet], agency_id: int, rubric: RubricRules) -> list[rules.Month]:
    """The concluded months: those made in this agency and those the old unit sent along, by the rubric's
    leave rule (which months count as worked) and transfer rule (whose is the month of the move)."""
    def month(s: Sheet) -> rules.Month:
        return rules.Month(month=s.month.month, total=s.total or rules.ZERO, grade=s.grade, agency=s.agency_month_id,
                           worked=rules.month_worked(s.on_leave, s.days_worked, rubric.leave),
                           days_worked=s.days_worked, vetoes=tuple(s.vetoes))

    own = [month(s) for s in sheets if s.agency_month.agency_id == agency_id]
    sent = [month(s) for s in sheets if s.agency_month.agency_id != agency_id]
    return rules.merge_transfer(own, sent, rubric.transfer)


def annual_compute(*, actor: User | None, agency: Agency, year: int,
                   kind: str = RubricKind.CIVIL_SERVANT) -> list[AnnualResult]:
    """The year of the `kind` track of every cadre now in the agency; the year's cap lowers those above the
    line to good (their computed grade stays beside). Recomputing replaces the agency's results for the year."""
    if actor is not None and not access.leads_unit(actor, agency.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được tính kết quả năm."))
    cadres = list(Cadre.objects.filter(agency=agency, left_on__isnull=True).order_by("pk"))
    sheets = list(Sheet.objects.filter(cadre__in=cadres, month__year=year, kind=kind, status=SheetStatus.CONCLUDED)
                  .select_related("agency_month", "rubric").order_by("month", "pk"))
    by_cadre: dict[int, list[Sheet]] = {}
    for s in sheets:
        by_cadre.setdefault(s.cadre_id, []).append(s)
    if not by_cadre:
        raise ValidationError({"year": [_("Chưa có tháng nào đã kết luận trong năm %(year)s.") % {"year": year}]})
    results: dict[int, tuple[rules.Year, list[rules.Month], Sheet]] = {}
    for cadre_id, own in by_cadre.items():
        latest = in_force(own, agency.pk)
        rubric_of = scoring.rubric_rules(latest.rubric)
        months = _months(own, agency.pk, rubric_of)
        results[cadre_id] = (rules.annual(months, rubric_of), months, latest)
    rubric = scoring.rubric_rules(sheets[-1].rubric)
    groups = task_groups.groups_of([agency.pk])  # the year's cap holds within each group of similar tasks too
    entries = [rules.Entry(pk, y.grade, y.total or rules.ZERO, groups.get(pk, ""))
               for pk, (y, _m, _s) in results.items() if y.grade]
    capped = {e.key: e.grade for e in rules.within_cap(entries, rubric)}
    sheet_of: dict[tuple[Hashable, int], int] = {(s.agency_month_id, s.month.month): s.pk for s in sheets}
    rows = []
    for cadre in cadres:
        if cadre.pk not in results:
            continue
        year_result, months, latest = results[cadre.pk]
        here = {s.agency_month_id for s in by_cadre[cadre.pk] if s.agency_month.agency_id == agency.pk}
        rows.append(AnnualResult(
            province_id=cadre.province_id, unit_id=agency.unit_id, agency=agency, cadre=cadre, year=year, kind=kind,
            rubric=latest.rubric, months_counted=year_result.months_counted, total=year_result.total,
            computed_grade=year_result.grade or "", grade=capped.get(cadre.pk, year_result.grade or ""),
            vetoes=list(year_result.vetoes), computed_by=actor,
            months=[{"month": m.month, "total": str(m.total), "grade": m.grade, "worked": m.worked,
                     "agency_month": m.agency, "sheet": sheet_of.get((m.agency, m.month)),
                     "sent_along": m.agency not in here}
                    for m in months]))
    with transaction.atomic():
        AnnualResult.objects.bulk_create(rows, update_conflicts=True, unique_fields=["cadre", "year", "kind"],
                                         update_fields=ANNUAL_FIELDS)
        stored = list(AnnualResult.objects.filter(cadre__in=[r.cadre_id for r in rows], year=year, kind=kind)
                      .select_related("cadre").order_by("cadre_id"))
        audit.record(actor=actor, action="evaluation.year.compute", obj=agency, province_id=agency.province_id,
                     after={"year": year, "kind": kind,
                            "results": [{"cadre": r.cadre_id, "total": r.total, "grade": r.grade,
                                         "computed": r.computed_grade} for r in stored]})
    return stored


def title_propose(*, actor: User | None, annual: AnnualResult, title: str) -> TitleProposal:
    """Propose an emulation title of the rubric's list, if the year's grade reaches the one it needs."""
    if actor is not None and not access.leads_unit(actor, annual.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được đề nghị danh hiệu thi đua."))
    rubric = scoring.rubric_rules(annual.rubric)
    found = next((t for t in rubric.titles if t[0] == title), None)
    if found is None:
        raise ValidationError({"title": [_("Danh hiệu không có trong danh sách của bộ tiêu chí.")]})
    code, label, needs = found
    if not annual.grade or rules.rank(annual.grade) > rules.rank(needs):
        raise ValidationError({"title": [_("Danh hiệu “%(title)s” cần kết quả năm từ “%(grade)s” trở lên.") % {
            "title": label, "grade": Grade(needs).label}]})
    if TitleProposal.objects.filter(annual=annual, title=code).exists():
        raise ValidationError({"title": [_("Đã đề nghị danh hiệu này.")]})
    with transaction.atomic():
        proposal = TitleProposal.objects.create(province_id=annual.province_id, annual=annual, title=code,
                                                label=label, proposed_by=actor)
        audit.record(actor=actor, action="evaluation.title.propose", obj=proposal,
                     after=audit.snapshot(proposal, ["annual_id", "title", "label", "status"]))
    return proposal


def commendation_record(*, actor: User | None, cadre: Cadre, number: str, date: dt.date, level: str, reason: str,
                        proposal: TitleProposal | None = None) -> Decision:
    """Record a commendation (decision number, date, level, reason) in the one register of decisions
    (campaigns' `cadre_commend`); a proposal it answers is awarded and names the decision."""
    if actor is not None and not access.leads_unit(actor, cadre.unit):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị được ghi khen thưởng."))
    if proposal is not None and (proposal.annual.cadre_id != cadre.pk or proposal.decision_id is not None):
        raise ValidationError({"proposal": [_("Đề nghị này không phải của cán bộ được khen, hoặc đã được khen.")]})
    with transaction.atomic():
        decision = model_services.cadre_commend(actor=actor, cadre=cadre, number=number, date=date, level=level,
                                                reason=reason)
        if proposal is not None:
            before = audit.snapshot(proposal, ["status", "decision_id"])
            proposal.status, proposal.decision = ProposalStatus.AWARDED, decision
            proposal.save(update_fields=["status", "decision"])
            audit.record(actor=actor, action="evaluation.title.award", obj=proposal, before=before,
                         after=audit.snapshot(proposal, ["status", "decision_id"]))
    return decision
