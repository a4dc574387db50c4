"""The assignment pages a user opens: the index (by role), my units and households, coverage of a
unit with drill-down, gap list (multi-select assign, XLSX export from exports.py) and the proposal to
fill gaps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.assignments import coverage_queries as cq
from gandan.assignments import exports, queries, services
from gandan.assignments.checks import HOUSEHOLD, UNIT
from gandan.assignments.forms import AssignForm, BulkAssignForm, ProposalForm
from gandan.assignments.models import TargetLevel
from gandan.assignments.proposals import candidates_for, levels_to_fill, proposal_make
from gandan.assignments.rules import LEVEL_RANK
from gandan.assignments.services import NOT_ASSIGNER, BatchRejected
from gandan.core.imports import RowError
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role
from gandan.people.unit_queries import breadcrumbs, unit_get

GAPS_PER_PAGE = 50


def _messages_of(exc: ValidationError) -> list[str]:
    return list(getattr(exc, "messages", [str(exc)]))


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The module's index: a cadre's own units; coverage and rules for those who steer a scope."""
    user = request.user
    cadre = getattr(user, "cadre", None)
    mine = None
    if cadre is not None:
        mine = {"units": queries.followed_units(cadre).count(),
                "households": queries.followed_households(cadre).count()}
    roles = scoping.roles_of(user)
    steers = bool(roles - {Role.CADRE})
    if mine is not None and steers and not (mine["units"] or mine["households"]):
        mine = None  # a leader who follows nothing sees their scope, not an empty card
    roots = scoping.top_units(user) if steers else []
    cards = [{"unit": root, "tallies": cq.level_tallies(root)} for root in roots[:4]]
    provinces = [root for root in roots if root.level.code == "province"]
    return render(request, "assignments/home.html", {
        "cadre": cadre if mine is not None else None, "mine": mine, "cards": cards, "provinces": provinces,
        "may_assign": queries.may_assign_anywhere(user),
    })


def _gap_level(request: HttpRequest, levels: list[str], tallies: dict) -> str:
    wanted = request.GET.get("gl", "")
    if wanted in levels:
        return wanted
    return next((lvl for lvl in levels if tallies.get(lvl) and tallies[lvl].gaps), levels[0] if levels else "")


def _gaps_page(unit: Any, level: str, page: str | None, checked: set[str]) -> Any:
    """One page of the gap list; each row knows its checkbox value and whether it was ticked."""
    if not level:
        return None
    rows = cq.gap_households(unit) if level == "household" else cq.gap_units(unit, level)
    found = Paginator(rows, GAPS_PER_PAGE).get_page(page)
    found.object_list = list(found.object_list)
    kind = HOUSEHOLD if level == "household" else UNIT
    for row in found.object_list:
        row.key = f"{kind}:{row.pk}"  # type: ignore[attr-defined]  # for the page
        row.checked = row.key in checked  # type: ignore[attr-defined]  # for the page
    return found


def _coverage_context(request: AuthenticatedRequest, unit: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    rules, default_rules = queries.province_rules(unit.province or unit)
    tallies = cq.level_tallies(unit)
    levels = [lvl for lvl in levels_to_fill(unit, rules) if lvl in tallies]
    gap_level = _gap_level(request, levels, tallies)
    followers = cq.follower_loads(unit)
    may_assign = queries.may_assign(user, unit)
    checked = extra.pop("checked", set())
    children = cq.child_tallies(unit)
    child_rank = min((LEVEL_RANK.get(c.unit.level.code, 9) for c in children), default=9)
    return {
        "unit": unit,
        "crumbs": breadcrumbs(user, unit),
        "tallies": tallies,
        "levels": levels,
        "children": children,
        "child_levels": [lvl for lvl in tallies if LEVEL_RANK[lvl] > child_rank],
        "followers": followers,
        "loads": cq.level_loads(unit, followers, rules, levels),
        "own_followers": cq.unit_followers(unit),
        "gap_level": gap_level,
        "gaps": _gaps_page(unit, gap_level, request.GET.get("gp"), checked),
        "may_assign": may_assign,
        "assign_form": extra.pop("assign_form", None) or (
            AssignForm(cadres=candidates_for(user, unit, gap_level)) if may_assign and gap_level else None),
        "default_rules": default_rules,
        "tab": "gaps" if "gl" in request.GET or request.method == "POST" else "children" if children else "followers",
        **extra,
    }


@login_required
def coverage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_get(request.user, pk)
    context = _coverage_context(request, unit)
    template = "assignments/_gaps.html" if request.headers.get("HX-Request") else "assignments/coverage.html"
    return render(request, template, context)


@login_required
@require_POST
def coverage_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Assign one cadre to every gap ticked in the list of one level (?gl=…) (multi-select)."""
    user = request.user
    unit = unit_get(user, pk)
    if not queries.may_assign(user, unit):
        raise PermissionDenied(NOT_ASSIGNER)
    level = request.GET.get("gl", "")
    form = BulkAssignForm(request.POST, cadres=candidates_for(user, unit, level))
    if form.is_valid():
        unit_ids, household_ids = form.targets()
        cadre = queries.assignable_cadres(user).filter(pk=form.cleaned_data["cadre"]).first()
        try:
            if cadre is None:
                raise PermissionDenied(NOT_ASSIGNER)
            created = services.assignments_bulk_create(
                actor=user, cadre=cadre, unit_ids=unit_ids, household_ids=household_ids,
                role=form.cleaned_data["role"], start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        except (ValidationError, PermissionDenied) as exc:
            for problem in _messages_of(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Đã phân công %(name)s theo dõi %(count)s địa bàn.") % {
                "name": cadre.full_name, "count": len(created)})
            return redirect(f"{reverse('assignments-coverage', args=[unit.pk])}?gl={level}#gaps")
    context = _coverage_context(request, unit, assign_form=form, checked=set(form["target"].value()),
                                assign_problems=form.errors.get("target", []) + form.non_field_errors())
    return render(request, "assignments/coverage.html", context, status=400)


@login_required
def gaps_export(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The gap list of one level (?gl=…, villages by default) as an XLSX workbook."""
    unit = unit_get(request.user, pk)
    level = request.GET.get("gl", "")
    if level not in TargetLevel.values:
        level = TargetLevel.VILLAGE.value
    return exports.gaps_xlsx(unit, level)


@login_required
def propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the proposal for one level (?level=…), editable; POST: accept it (one service call, all or
    nothing)."""
    user = request.user
    unit = unit_get(user, pk)
    if not queries.may_assign(user, unit):
        raise PermissionDenied(NOT_ASSIGNER)
    rules, _default = queries.province_rules(unit.province or unit)
    levels = levels_to_fill(unit, rules)
    level = request.GET.get("level") or (levels[0] if levels else "")
    if level not in levels:
        level = levels[0] if levels else ""
    proposal = proposal_make(user, unit, level) if level else None
    errors: list[Any] = []
    if request.method == "POST" and proposal is not None:
        form = ProposalForm(request.POST, proposal=proposal)
        if not form.is_valid():
            errors = form.row_errors()
        else:
            try:
                created = services.proposal_accept(actor=user, unit=unit, picks=form.picks())
            except BatchRejected as exc:
                errors = exc.rows
            except ValidationError as exc:
                errors = [RowError(0, "", m) for m in _messages_of(exc)]
            else:
                messages.success(request, _("Đã chấp nhận đề xuất: %(count)s phân công phụ trách chính mới.") % {
                    "count": len(created)})
                return redirect(f"{reverse('assignments-coverage', args=[unit.pk])}?gl={level}")
        form.keep_picks()
    if proposal is not None:
        _option_groups(proposal)
    return render(request, "assignments/propose.html", {
        "unit": unit, "crumbs": breadcrumbs(user, unit), "proposal": proposal, "level": level, "levels": levels,
        "errors": errors,
    }, status=400 if errors else 200)


def _option_groups(proposal: Any) -> None:
    """Each row's choices grouped by agency (row.groups, drawn by _cadre_options.html); rows offering the
    same cadres share one list."""
    groups: dict[tuple[int, ...], list[tuple[str, list[tuple[int, str]]]]] = {}
    for row in proposal.rows:
        key = tuple(row.options)
        if key not in groups:
            by_agency: dict[str, list[tuple[int, str]]] = {}
            for cid in key:
                cadre = proposal.cadres[cid]
                by_agency.setdefault(cadre.agency.name, []).append(
                    (cid, f"{cadre.full_name} · {proposal.loads.get(cid, 0)}"))
            groups[key] = sorted(by_agency.items())
        row.groups = groups[key]
