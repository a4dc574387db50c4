"""In-app reminders, written once a day by a background job (tasks.py): a task due within two days or
overdue (the day after, then weekly) reminds its owner; a task done and waiting two days or more for
its assessment reminds whoever must assess it (the assigner, or the leader above them once they have
left). A reminder is written at most once a day per recipient, task and kind (a unique index), so a
second run on the same day adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gandan.core import audit
from gandan.people.models import User
from gandan.plans.models import Reminder, ReminderKind, Task, TaskStatus

DUE_SOON_DAYS = 2
WAITING_DAYS = 2


def _users_by_cadre(cadre_ids: set[int]) -> dict[int, int]:
    return dict(User.objects.filter(cadre_id__in=cadre_ids, is_active=True).values_list("cadre_id", "pk"))


def _assessors(rows: list[tuple[int, int, bool, int | None]]) -> dict[int, int]:
    """task id → the user who must assess it: the assigner, or their manager's account once they have left."""
    managers = _users_by_cadre({manager for *_, manager in rows if manager})
    found = {}
    for task_id, assigner_id, gone, manager in rows:
        if not gone:
            found[task_id] = assigner_id
        elif manager in managers:
            found[task_id] = managers[manager]
    return found


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN)
    soon = list(open_tasks.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
                .values_list("pk", "province_id", "owner_id", "title", "due_on"))
    late = [row for row in open_tasks.filter(due_on__lt=today).values_list("pk", "province_id", "owner_id", "title",
                                                                           "due_on")
            if (today - row[4]).days % 7 == 1]
    owners = _users_by_cadre({row[2] for row in soon + late})
    reminders: list[Reminder] = []
    with override("vi"):
        for kind, rows, text in ((ReminderKind.DUE_SOON, soon, _("Nhiệm vụ “%(title)s” đến hạn ngày %(due)s.")),
                                 (ReminderKind.OVERDUE, late, _("Nhiệm vụ “%(title)s” đã quá hạn từ ngày %(due)s."))):
            reminders += [Reminder(province_id=province, recipient_id=owners[owner], task_id=pk, kind=kind, day=today,
                                   message=(text % {"title": title[:200], "due": f"{due:%d/%m/%Y}"})[:400])
                          for pk, province, owner, title, due in rows if owner in owners]
        gone = Q(assigner__is_active=False) | Q(assigner__cadre__left_on__lte=today)
        waiting = Task.objects.filter(status=TaskStatus.DONE, done_on__lte=today - dt.timedelta(days=WAITING_DAYS),
                                      assigner__isnull=False)
        info = {pk: (province, title) for pk, province, title in waiting.values_list("pk", "province_id", "title")}
        gone_ids = set(waiting.filter(gone).values_list("pk", flat=True))
        assessed = [(pk, assigner, pk in gone_ids, manager)
                for pk, assigner, manager in waiting.values_list("pk", "assigner_id", "assigner__cadre__manager_id")]
        text = _("Nhiệm vụ “%(title)s” đã xong, đang chờ bạn đánh giá.")
        reminders += [Reminder(province_id=info[pk][0], recipient_id=user, task_id=pk, kind=ReminderKind.AWAITING,
                               day=today, message=(text % {"title": info[pk][1][:200]})[:400])
                      for pk, user in _assessors(assessed).items()]
    with transaction.atomic():
        before = Reminder.objects.filter(day=today).count()
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
        written = Reminder.objects.filter(day=today).count() - before
        counts = {kind: sum(1 for r in reminders if r.kind == kind) for kind in ReminderKind.values}
        audit.record(actor=None, action="plans.reminders", object_type="plans.reminder",
                     after={"day": today, **counts, "written": written})
    return {**counts, "written": written}
