"""In-app reminders of late steps, written once a day by a background job (tasks.py), against each
month's rubric deadlines (a day of the following month): a cadre who has not self-assessed after the
step 1 deadline; an assessor with sheets waiting after the step 2 deadline; the leaders of an agency's
unit (leader or committee grants on it) whose month is not concluded after the step 3 deadline. One
reminder a day per recipient, month and step (a unique index), whatever the number of sheets; a
second run the same day adds nothing. A handful of grouped queries, never one per cadre."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gandan.core import audit
from gandan.evaluation.models import AgencyMonth, EvaluationReminder, MonthStatus, Sheet, SheetStatus
from gandan.evaluation.queries import month_deadlines
from gandan.people.models import RoleGrant, User
from gandan.plans.access import LEAD_ROLES


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    months = list(AgencyMonth.objects.filter(status__in=[MonthStatus.OPEN, MonthStatus.REOPENED])
                  .select_related("agency"))
    deadlines = month_deadlines(months)
    by_pk = {m.pk: m for m in months}
    late1 = [pk for pk in by_pk if today > deadlines[pk][0]]
    late2 = [pk for pk in by_pk if today > deadlines[pk][1]]
    late3 = [pk for pk in by_pk if today > deadlines[pk][2]]
    users = dict(User.objects.filter(is_active=True, cadre__isnull=False).filter(
        cadre__evaluation_sheets__agency_month_id__in=late1 + late2).values_list("cadre_id", "pk").distinct())
    own = Sheet.objects.filter(agency_month_id__in=late1, status=SheetStatus.OPEN, on_leave=False)
    assessed = Counter(Sheet.objects.filter(agency_month_id__in=late2, status=SheetStatus.SELF_ASSESSED,
                                            assessor__isnull=False)
                       .values_list("agency_month_id", "assessor_id"))
    assessor_users = dict(User.objects.filter(is_active=True, cadre_id__in={a for _m, a in assessed})
                          .values_list("cadre_id", "pk"))
    leaders = RoleGrant.objects.active(today).filter(role__in=LEAD_ROLES, unit_id__in=[by_pk[pk].unit_id
                                                                                       for pk in late3])
    lead_users = [(unit_id, user_id) for unit_id, user_id in leaders.values_list("unit_id", "user_id")]
    reminders: list[EvaluationReminder] = []
    with override("vi"):
        text1 = _("Bạn chưa tự đánh giá tháng %(month)s; hạn là ngày %(due)s.")
        for am, cadre_id in own.values_list("agency_month_id", "cadre_id"):
            if cadre_id in users:
                m = by_pk[am]
                reminders.append(EvaluationReminder(
                    province_id=m.province_id, recipient_id=users[cadre_id], agency_month=m, step=1, day=today,
                    message=text1 % {"month": f"{m.month:%m/%Y}", "due": f"{deadlines[am][0]:%d/%m/%Y}"}))
        text2 = _("%(n)s phiếu tháng %(month)s đang chờ bạn đánh giá; hạn là ngày %(due)s.")
        for (am, assessor), n in assessed.items():
            if assessor in assessor_users:
                m = by_pk[am]
                reminders.append(EvaluationReminder(
                    province_id=m.province_id, recipient_id=assessor_users[assessor], agency_month=m, step=2,
                    day=today, message=text2 % {"n": n, "month": f"{m.month:%m/%Y}",
                                                "due": f"{deadlines[am][1]:%d/%m/%Y}"}))
        text3 = _("%(agency)s chưa kết luận đánh giá tháng %(month)s; hạn là ngày %(due)s.")
        for pk in late3:
            m = by_pk[pk]
            for unit_id, user_id in lead_users:
                if unit_id == m.unit_id:
                    reminders.append(EvaluationReminder(
                        province_id=m.province_id, recipient_id=user_id, agency_month=m, step=3, day=today,
                        message=(text3 % {"agency": m.agency.name, "month": f"{m.month:%m/%Y}",
                                          "due": f"{deadlines[pk][2]:%d/%m/%Y}"})[:400]))
    with transaction.atomic():
        before = EvaluationReminder.objects.filter(day=today).count()
        EvaluationReminder.objects.bulk_create(reminders, ignore_conflicts=True)
        written = EvaluationReminder.objects.filter(day=today).count() - before
        counts = {f"step{step}": sum(1 for r in reminders if r.step == step) for step in (1, 2, 3)}
        audit.record(actor=None, action="evaluation.reminders", object_type="evaluation.evaluationreminder",
                     after={"day": today, **counts, "written": written})
    return {**counts, "written": written}
