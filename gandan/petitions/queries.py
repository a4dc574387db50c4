"""Reads on concerns, each starting from the user's scope (access.visible), plus the two reads other
modules call: `petitions_from_source` (field visits find the concerns they raised) and
`holder_figures` (the evaluation counts each holder's concerns; defined in figures.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core.text import fold
from gandan.org.models import AdminUnit, Agency, AgencyKind, history_scope_q
from gandan.people import scoping
from gandan.people.models import Role, RoleGrant, User
from gandan.petitions import access, figures, similarity, states
from gandan.petitions.figures import holder_figures
from gandan.petitions.models import Petition

__all__ = ["holder_figures", "petitions_from_source"]
CANDIDATE_POOL = 200
CANDIDATE_DAYS = 90


def petitions_from_source(refs: Iterable[str]) -> QuerySet[Petition]:
    """The concerns recorded from these origins (e.g. visits' client UUIDs), in the order received."""
    wanted = [str(ref) for ref in refs if ref]
    return Petition.objects.filter(source_ref__in=wanted).order_by("received_at", "id")


RELATED = ("unit", "unit__level", "unit__parent", "holder_unit", "holder_agency", "holder_cadre", "province")


def with_overdue(qs: QuerySet[Petition], now: dt.datetime | None = None) -> QuerySet[Petition]:
    """Annotate `late` (1 when past a deadline) and order overdue first, then by deadline."""
    now = now or timezone.now()
    late = Case(When(Q(status__in=states.AWAITING_ACCEPT, accept_due_at__lt=now)
                     | Q(status__in=states.OPEN, due_at__lt=now), then=Value(1)),
                default=Value(0), output_field=IntegerField())
    return qs.annotate(late=late).order_by("-late", "due_at", "id")


def petition_get(user: User, pk: int) -> Petition:
    """One concern the user may see; 404 alike for missing and out of scope."""
    return scoping.get_visible_or_404(
        access.visible(user, Petition.objects.select_related(*RELATED, "household", "merged_into")), user, pk=pk)


def petition_by_code(code: str) -> Petition | None:
    """The public lookup: by tracking code only (no personal data is read from it by public pages)."""
    code = (code or "").strip().upper()
    if not code.startswith("PAKN."):
        return None
    return Petition.objects.select_related("unit", "holder_unit", "holder_agency", "province", "merged_into").filter(
        code=code).first()


# -- inbox -----------------------------------------------------------------------------------------
BOXES = ("mine", "unit", "department", "all")
ACTIVE = tuple(states.OPEN | {states.ANSWERED})


def handler_units(user: User) -> list[int]:
    """Units on which the user holds a handler grant (the units they act for)."""
    return list(RoleGrant.objects.active().filter(user=user, role__in=access.HANDLER_ROLES,
                                                  unit__valid_to__isnull=True).values_list("unit_id", flat=True))


def is_department_handler(user: User) -> bool:
    return Role.DEPARTMENT_HANDLER in scoping.roles_of(user) and access.agency_of(user) is not None


def inbox(user: User, box: str) -> QuerySet[Petition]:
    """What is waiting for the user: held by me, by my unit, by my department, or everything in scope."""
    qs = access.visible(user).select_related(*RELATED).filter(status__in=ACTIVE)
    if box == "mine":
        cadre_id = getattr(user, "cadre_id", None)
        qs = qs.filter(holder_cadre_id=cadre_id) if cadre_id else qs.none()
    elif box == "unit":
        qs = qs.filter(holder_unit_id__in=handler_units(user)).exclude(holder_agency__kind=AgencyKind.DEPARTMENT)
    elif box == "department":
        agency_id = access.agency_of(user)
        qs = qs.filter(holder_agency_id=agency_id) if is_department_handler(user) else qs.none()
    return with_overdue(qs)


def inbox_counts(user: User) -> dict[str, int]:
    now = timezone.now()
    return {box: inbox(user, box).count() for box in BOXES} | {
        "overdue": access.visible(user).overdue(now).count()}


def default_box(user: User) -> str:
    if is_department_handler(user):
        return "department"
    if handler_units(user):
        return "unit"
    return "all"


# -- list with filters -----------------------------------------------------------------------------
@dataclass
class Filters:
    status: str = ""
    field: str = ""
    urgency: str = ""
    channel: str = ""
    kind: str = ""
    unit: int | None = None  # where (subtree)
    q: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    overdue: bool = False
    # holder figures: which stints (by holder unit or agency) and which count of rates.py
    held_unit: int | None = None
    held_agency: int | None = None
    held_cadre: int | None = None
    flag: str = ""


FLAGS = figures.FIGURE_NAMES


def search(user: User, f: Filters) -> QuerySet[Petition]:
    now = timezone.now()
    qs = access.visible(user).select_related(*RELATED)
    for name in ("status", "field", "urgency", "channel", "kind"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.unit is not None:
        unit = AdminUnit.objects.filter(pk=f.unit).first()
        qs = qs.filter(history_scope_q(unit, "unit__path", "received_at", moment=True)) if unit else qs.none()
    if f.q.strip():
        needle = f.q.strip()
        qs = qs.filter(Q(code__iexact=needle) | Q(text_folded__contains=fold(needle)))
    held = f.held_unit is not None or f.held_agency is not None or f.held_cadre is not None
    if held:  # the rows behind a count: one per stint counted (figures.py)
        stints = figures.held_stints(start=f.start, end=f.end, unit_id=f.held_unit, agency_id=f.held_agency,
                                     cadre_id=f.held_cadre).filter(figures.figure_q(f.flag, now))
        qs = qs.filter(holdings__in=stints)
    elif f.start and f.end:
        begin, finish = figures.period_bounds(f.start, f.end)
        qs = qs.filter(received_at__gte=begin, received_at__lt=finish)
    if f.overdue:
        qs = qs.overdue(now)
    return with_overdue(qs, now)


# -- duplicates ------------------------------------------------------------------------------------
@dataclass
class Candidate:
    petition: Petition
    score: float
    same_household: bool


def duplicate_candidates(*, unit: AdminUnit, text: str, household_id: int | None = None,
                         exclude: int | None = None, limit: int = 5) -> list[Candidate]:
    """Open (or answered) concerns of the last 90 days that may be the same one: from the same household,
    or from the same place (the unit, its villages, its commune) with similar text."""
    since = timezone.now() - dt.timedelta(days=CANDIDATE_DAYS)
    place = Q(unit=unit) | Q(unit__parent=unit)
    if unit.parent_id is not None and unit.level.code == "village":
        place |= Q(unit_id=unit.parent_id) | Q(unit__parent_id=unit.parent_id)
    if household_id is not None:
        place |= Q(household_id=household_id)
    pool = (Petition.objects.filter(place, province_id=unit.province_id or unit.pk, status__in=ACTIVE,
                                    received_at__gte=since)
            .select_related("unit", "holder_unit", "holder_agency").order_by("-received_at")[:CANDIDATE_POOL])
    found = []
    for petition in pool:
        if petition.pk == exclude:
            continue
        score = similarity.similarity(text, petition.text)
        same_household = household_id is not None and petition.household_id == household_id
        if same_household or score >= similarity.THRESHOLD:
            found.append(Candidate(petition, score, same_household))
    found.sort(key=lambda c: (-c.score, -c.petition.pk))
    return found[:limit]


# -- scope roots for figures -----------------------------------------------------------------------
def figure_root(user: User, unit_id: int | None) -> AdminUnit:
    """The unit whose figures are asked (in scope), or the user's first top unit."""
    if unit_id is not None:
        return scoping.get_in_scope_or_404(AdminUnit.objects.select_related("level"), user, "path", pk=unit_id)
    roots = scoping.top_units(user)
    if not roots:
        raise Http404(_("Không tìm thấy"))
    return roots[0]


def units_by_id(ids: Iterable[int]) -> dict[int, AdminUnit]:
    return {u.pk: u for u in AdminUnit.objects.filter(pk__in=list(ids)).select_related("level", "parent")}


def agencies_by_id(ids: Iterable[int]) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(pk__in=list(ids)).select_related("unit")}


# -- work lists (the home pages now, the reports later) -------------------------------------------
def awaiting_acceptance(user: User) -> QuerySet[Petition]:
    """Concerns held by the units the user acts for that nobody has taken up yet, overdue first."""
    return with_overdue(access.visible(user).select_related(*RELATED).filter(
        status__in=states.AWAITING_ACCEPT, holder_unit_id__in=handler_units(user))
        .exclude(holder_agency__kind=AgencyKind.DEPARTMENT))


def overdue_in_scope(user: User, now: dt.datetime | None = None) -> QuerySet[Petition]:
    now = now or timezone.now()
    return with_overdue(access.visible(user).select_related(*RELATED).overdue(now), now)


def scope_summary(user: User, unit: AdminUnit | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Open, overdue and received-this-month concerns in the user's scope (under `unit`)."""
    now = now or timezone.now()
    qs = access.visible(user)
    if unit is not None:
        qs = qs.filter(history_scope_q(unit, "unit__path", "received_at", moment=True))
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return {"open": qs.filter(status__in=states.OPEN).count(), "overdue": qs.overdue(now).count(),
            "answered": qs.filter(status=states.ANSWERED).count(),
            "this_month": qs.filter(received_at__gte=month_start).count()}
