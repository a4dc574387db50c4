"""Reminders, written once a day by a background job (tasks.py): a task due within two days or overdue
(the day after, then weekly) reminds its owner; a task done and waiting two days or more for its
assessment reminds whoever must assess it (the assigner, or the leader above them once they have left).
A reminder is written at most once a day per recipient, task and kind (a unique index), so a second run
on the same day adds nothing.

Every reminder is shown in the app, in the reader's language (`Reminder.text`). Where mail is
configured (settings.EMAIL_HOST), the day's new reminders are also e-mailed, one message per recipient
who has an e-mail address, in the language they last read their plans in (`ReminderPreference`,
Vietnamese until they choose another), after the reminders are committed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gandan.core import audit
from gandan.people.models import User
from gandan.plans.models import Reminder, ReminderKind, ReminderPreference, Task, TaskStatus

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


def remind_once(*, recipient: User, kind: str, day: dt.date, params: dict[str, str], province_id: int,
                task: Task | None = None, plan: Any = None) -> Reminder:
    """One reminder of `kind` about the task or plan for the recipient on `day` (the existing one if written)."""
    reminder = Reminder.of(kind=kind, params=params, province_id=province_id)
    found, _created = Reminder.objects.get_or_create(
        recipient=recipient, task=task, plan=plan, kind=kind, day=day,
        defaults={"province_id": province_id, "message": reminder.message, "params": reminder.params})
    return found


def _due_rows(today: dt.date) -> list[Reminder]:
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN)
    fields = ("pk", "province_id", "owner_id", "title", "due_on")
    soon = list(open_tasks.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
                .values_list(*fields))
    late = [row for row in open_tasks.filter(due_on__lt=today).values_list(*fields) if (today - row[4]).days % 7 == 1]
    owners = _users_by_cadre({row[2] for row in soon + late})
    return [Reminder.of(kind=kind, params={"title": title[:200], "due": f"{due:%d/%m/%Y}"}, province_id=province,
                        recipient_id=owners[owner], task_id=pk, day=today)
            for kind, rows in ((ReminderKind.DUE_SOON, soon), (ReminderKind.OVERDUE, late))
            for pk, province, owner, title, due in rows if owner in owners]


def _waiting_rows(today: dt.date) -> list[Reminder]:
    gone = Q(assigner__is_active=False) | Q(assigner__cadre__left_on__lte=today)
    waiting = Task.objects.filter(status=TaskStatus.DONE, done_on__lte=today - dt.timedelta(days=WAITING_DAYS),
                                  assigner__isnull=False)
    info = {pk: (province, title) for pk, province, title in waiting.values_list("pk", "province_id", "title")}
    gone_ids = set(waiting.filter(gone).values_list("pk", flat=True))
    assessed = [(pk, assigner, pk in gone_ids, manager)
                for pk, assigner, manager in waiting.values_list("pk", "assigner_id", "assigner__cadre__manager_id")]
    return [Reminder.of(kind=ReminderKind.AWAITING, params={"title": info[pk][1][:200]}, province_id=info[pk][0],
                        recipient_id=user, task_id=pk, day=today)
            for pk, user in _assessors(assessed).items()]


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    reminders = _due_rows(today) + _waiting_rows(today)
    with transaction.atomic():
        written_before = set(Reminder.objects.filter(day=today, task__isnull=False)
                             .values_list("recipient_id", "task_id", "kind"))
        new = [r for r in reminders if (r.recipient_id, r.task_id, r.kind) not in written_before]
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        keys = {(r.recipient_id, r.task_id, r.kind) for r in new}
        new_ids = [pk for pk, *key in Reminder.objects.filter(day=today, task__isnull=False).values_list(
            "pk", "recipient_id", "task_id", "kind") if tuple(key) in keys]
        counts = {kind: sum(1 for r in reminders if r.kind == kind) for kind in ReminderKind.values}
        audit.record(actor=None, action="plans.reminders", object_type="plans.reminder",
                     after={"day": today, **counts, "written": len(new_ids)})
        if mail_configured():
            transaction.on_commit(lambda: email_reminders(new_ids))
    return {**counts, "written": len(new_ids)}


def mail_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def _address(user: User) -> str:
    cadre = user.cadre if user.cadre_id else None
    return user.email or (cadre.email if cadre is not None else "")


def email_reminders(reminder_ids: list[int]) -> int:
    """E-mail these reminders not yet e-mailed: one message per recipient with an address, in their
    language. Returns the number of messages sent."""
    pending = list(Reminder.objects.filter(pk__in=reminder_ids, emailed_at__isnull=True, recipient__is_active=True)
                   .select_related("recipient", "recipient__cadre").order_by("recipient_id", "kind", "id"))
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in pending:
        if _address(reminder.recipient):
            by_user[reminder.recipient_id].append(reminder)
    languages = dict(ReminderPreference.objects.filter(user_id__in=by_user).values_list("user_id", "language"))
    messages = []
    for user_id, items in by_user.items():
        recipient = items[0].recipient
        with override(languages.get(user_id, settings.LANGUAGE_CODE)):
            subject = _("Gần Dân: %(n)s nhắc việc về kế hoạch, nhiệm vụ") % {"n": len(items)}
            lines = [_("Kính gửi %(name)s,") % {"name": recipient.display_name}, ""]
            lines += [f"- {r.text}" for r in items]
            lines += ["", _("Xem chi tiết trong mục Kế hoạch của Gần Dân.")]
        messages.append(EmailMessage(subject=subject, body="\n".join(lines), to=[_address(recipient)]))
    sent = get_connection(fail_silently=True).send_messages(messages) if messages else 0
    emailed = [r.pk for items in by_user.values() for r in items]
    Reminder.objects.filter(pk__in=emailed).update(emailed_at=timezone.now())
    return sent or 0
