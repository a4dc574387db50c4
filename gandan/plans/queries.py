"""Reads on plans and tasks, starting from what the user may see.

A plan is seen by its cadre, by those who hold a leading or viewing role over the cadre's unit
(people/scoping.py), and — once approved — by every cadre of the same agency ("công khai trong đơn
vị"), who see its tasks without anyone's personal data. A task is seen with its plan, and by its
assigner (who assesses it even after leaving the unit's scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from gandan.assignments.queries import followed_units
from gandan.campaigns.models import Campaign
from gandan.campaigns.queries import campaigns_visible
from gandan.core.paths import path_q
from gandan.fieldwork.queries import meetings_visible, upcoming_meetings
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import Cadre, Role, User
from gandan.people.queries import cadres_visible
from gandan.petitions import access as petition_access
from gandan.petitions.models import Petition
from gandan.plans import worklog
from gandan.plans.access import LEAD_ROLES
from gandan.plans.models import (
    CatalogueItem,
    Plan,
    PlanStatus,
    Reminder,
    Task,
    TaskQuerySet,
    TaskStatus,
    WorkLogEntry,
)

VIEW_ROLES = frozenset(LEAD_ROLES | {Role.VIEWER, Role.UNIT_ADMIN})
WEEK = 7
LINK_CHOICES = 50


def _plan_q(user: User) -> Q:
    q = path_q(scoping.scope_paths(user, VIEW_ROLES), "unit__path")
    cadre = user.cadre if user.cadre_id else None
    if cadre is not None:
        q |= Q(cadre_id=cadre.pk) | Q(status=PlanStatus.APPROVED, agency_id=cadre.agency_id)
    return q


def plans_visible(user: User) -> QuerySet[Plan]:
    if not user.is_active:
        return Plan.objects.none()
    return Plan.objects.filter(_plan_q(user))


def plan_get(user: User, pk: int) -> Plan:
    return scoping.get_visible_or_404(plans_visible(user).select_related("cadre", "agency", "unit"), user, pk=pk)


def tasks_visible(user: User) -> TaskQuerySet:
    if not user.is_active:
        return Task.objects.none()
    plans = Plan.objects.filter(_plan_q(user)).values("pk")
    return Task.objects.filter(Q(plan__in=plans) | Q(assigner=user))


def task_get(user: User, pk: int) -> Task:
    return scoping.get_visible_or_404(
        tasks_visible(user).select_related("plan", "owner", "owner__unit", "assigner", "assigner__cadre",
                                           "catalogue_item", "unit", "petition", "meeting", "campaign"), user, pk=pk)


def sees_details(user: User, plan: Plan) -> bool:
    """The cadre and those with a role over the unit see everything; agency colleagues see the public plan."""
    return getattr(user, "cadre_id", None) == plan.cadre_id or scoping.covers(user, plan.unit.path, VIEW_ROLES)


def my_plans(cadre: Cadre, day: dt.date) -> QuerySet[Plan]:
    """The cadre's plans that cover `day` (a month and perhaps a quarter)."""
    return Plan.objects.filter(cadre=cadre, starts_on__lte=day, ends_on__gte=day).order_by("period")


def my_tasks(cadre: Cadre, start: dt.date, end: dt.date) -> TaskQuerySet:
    """The cadre's tasks due in the period, with the unfinished ones of earlier periods still open."""
    return Task.objects.filter(owner=cadre).filter(
        Q(due_on__gte=start, due_on__lte=end) | Q(due_on__lt=start, status=TaskStatus.OPEN)).select_related(
        "plan", "catalogue_item", "assigner").order_by("due_on", "id")


def team_cadres(user: User) -> QuerySet[Cadre]:
    """The cadres a leader (or viewer) sees in their scope, without themself."""
    paths = scoping.scope_paths(user, VIEW_ROLES)
    return (cadres_visible(user).active().filter(path_q(paths, "unit__path"))
            .exclude(pk=getattr(user, "cadre_id", None) or 0).select_related("agency", "unit"))


def team_plans(user: User, start: dt.date, limit: int = 300) -> list[Cadre]:
    """The team's cadres, each with the status and task count of their plan for the period starting `start`."""
    plans = Plan.objects.filter(cadre=OuterRef("pk"), starts_on=start)
    rows = team_cadres(user).annotate(
        plan_id=Subquery(plans.values("pk")[:1]), plan_status=Subquery(plans.values("status")[:1]),
        open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN, tasks__due_on__gte=start), distinct=True),
    ).order_by("agency__name", "name_folded", "id")
    return list(rows[:limit])


def overdue_and_due_soon(tasks: TaskQuerySet, today: dt.date) -> tuple[TaskQuerySet, TaskQuerySet]:
    soon = today + dt.timedelta(days=WEEK)
    related = ("owner", "plan")
    return (tasks.overdue(today).select_related(*related).order_by("due_on", "id"),
            tasks.due_between(today, soon).select_related(*related).order_by("due_on", "id"))


def awaiting_q(user: User, today: dt.date | None = None) -> Q:
    """Tasks done and waiting for `user`'s assessment: theirs as assigner, or left to them by an assigner who
    has gone (access.may_assess, as one filter)."""
    today = today or timezone.localdate()
    gone = Q(assigner__is_active=False) | Q(assigner__cadre__left_on__lte=today)
    q = Q(assigner=user) & ~gone
    if user.cadre_id:
        q |= gone & Q(assigner__cadre__manager_id=user.cadre_id)
    lead = path_q(scoping.scope_paths(user, LEAD_ROLES), "owner__unit__path")
    q |= gone & Q(assigner__cadre__manager__isnull=True) & lead & ~Q(assigner=user) & ~Q(owner_id=user.cadre_id or 0)
    return q


def awaiting_assessment(user: User) -> TaskQuerySet:
    return (Task.objects.awaiting_assessment().filter(awaiting_q(user))
            .select_related("owner", "plan").order_by("done_on", "id"))


def catalogue_of(agency_id: int, on: dt.date | None = None) -> QuerySet[CatalogueItem]:
    return CatalogueItem.objects.current(on).filter(agency_id=agency_id).order_by("group", "code")


def unread_reminders(user: User, limit: int = 20) -> list[Reminder]:
    return list(Reminder.objects.filter(recipient=user, read_at__isnull=True).select_related("task")[:limit])


def link_choices(user: User, owner: Cadre, today: dt.date,
                 chosen: dict[str, int] | None = None) -> dict[str, list[tuple[int, str]]]:
    """What a task for `owner` may serve, as the task form offers it: the units the owner follows (and
    their own), the open concerns the owner or their agency holds, the campaigns running now, the
    owner's next meetings, and whatever `chosen` names that `user` sees (a link "add a task for this")
    — each only as far as `user` sees it (the service checks again)."""
    chosen = chosen or {}
    units = AdminUnit.objects.filter(Q(pk__in=followed_units(owner, on=today).values("pk")) | Q(pk=owner.unit_id))
    if chosen.get("unit"):
        units |= scoping.filter_by_scope(AdminUnit.objects.filter(pk=chosen["unit"]), user, "path")
    petitions = petition_access.visible(user, Petition.objects.filter(
        Q(pk=chosen.get("petition") or 0) | Q(pk__in=Petition.objects.open().filter(
            Q(holder_cadre=owner) | Q(holder_agency_id=owner.agency_id)).values("pk"))))
    campaigns = campaigns_visible(user).filter(Q(pk__in=Campaign.objects.running_on(today).values("pk"))
                                               | Q(pk=chosen.get("campaign") or 0))
    meetings = upcoming_meetings(user, owner, today, LINK_CHOICES)
    if chosen.get("meeting") and chosen["meeting"] not in {m.pk for m in meetings}:
        meetings[:0] = meetings_visible(user).filter(pk=chosen["meeting"])
    return {
        "unit": [(u.pk, u.name) for u in units.distinct().order_by("path")[:LINK_CHOICES]],
        "petition": [(p.pk, f"{p.code} — {p.unit.name}")
                     for p in petitions.select_related("unit").order_by("due_at", "id")[:LINK_CHOICES]],
        "campaign": [(c.pk, c.name) for c in campaigns.order_by("name", "id")[:LINK_CHOICES]],
        "meeting": [(m.pk, f"{m.date:%d/%m/%Y} {m.title}" if m.title else str(m)) for m in meetings],
    }


# -- the daily work log ----------------------------------------------------------------------------------
@dataclass
class LogDay:
    """One day of a cadre's work log: its total, whether it passes the normal hours, and its lines."""

    date: dt.date
    total: Decimal = Decimal(0)
    entries: list[WorkLogEntry] = field(default_factory=list)

    @property
    def over_normal(self) -> bool:
        return worklog.over_normal(self.total)


def day_totals(cadre_id: int, days: set[dt.date]) -> dict[dt.date, Decimal]:
    rows = (WorkLogEntry.objects.filter(cadre_id=cadre_id, date__in=days).values("date")
            .annotate(total=Sum("hours")).values_list("date", "total"))
    return dict(rows)


def my_work_log(cadre: Cadre, start: dt.date, end: dt.date) -> list[LogDay]:
    """The cadre's own log from `start` to `end`, latest day first (a cadre reads only their own log)."""
    days: dict[dt.date, LogDay] = {}
    for entry in (WorkLogEntry.objects.filter(cadre=cadre, date__gte=start, date__lte=end)
                  .select_related("task").order_by("-date", "id")[:500]):
        day = days.setdefault(entry.date, LogDay(entry.date))
        day.entries.append(entry)
        day.total += entry.hours
    return list(days.values())


def task_work_log(task: Task) -> list[LogDay]:
    """The lines logged against the task, by day, each day with the owner's whole total that day (all
    tasks), so that an assessor sees a day declared beyond the normal hours."""
    days: dict[dt.date, LogDay] = {}
    for entry in task.work_log.select_related("cadre").order_by("-date", "id")[:200]:
        days.setdefault(entry.date, LogDay(entry.date)).entries.append(entry)
    totals: dict[tuple[int, dt.date], Decimal] = {}
    for cadre_id in {e.cadre_id for day in days.values() for e in day.entries}:
        totals.update({(cadre_id, d): t for d, t in day_totals(cadre_id, set(days)).items()})
    for day in days.values():
        day.total = max(totals.get((e.cadre_id, day.date), Decimal(0)) for e in day.entries)
    return list(days.values())
