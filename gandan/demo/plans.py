"""Six months of personal plans in the demo province (run by `gandan demo`, after field work).

Every agency of the five featured communes gets a task catalogue (groups A–D, norm weights); each of
its staff gets a monthly plan approved by the agency's head, with three to five tasks a month, most
from the catalogue, some outside it with an agreed weight. Past tasks mostly end accepted on time;
some are late (a delay), some failed once for a major error before being accepted, some delays and
failures carry an objective cause certified by the head; a few are still open and overdue, a few done
and waiting for assessment, and a few were reassigned half-way through the month. The current month is
in progress. Some tasks serve a unit the owner follows, a campaign running then or a meeting of the
owner's unit. The demo cadre's agency keeps a daily work log: its staff logged the last two weeks'
working days against their tasks, a few days beyond the normal eight hours. Heads without an account
get one that cannot log in (they assign and assess). Everything
is drawn from random.Random(f"{seed}:plans:…"), relative to `today`'s month, and written in bulk; a
province that already has tasks is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gandan.assignments.models import Assignment
from gandan.campaigns.models import Campaign
from gandan.core import audit
from gandan.demo.build import FEATURED_COMMUNES
from gandan.demo.logins import demo_logins_ensure
from gandan.fieldwork.models import Meeting
from gandan.org.models import AdminUnit, Agency
from gandan.people.models import Cadre, User
from gandan.plans.models import (
    Assessment,
    CatalogueItem,
    CauseKind,
    Delay,
    ObjectiveCause,
    Outcome,
    Plan,
    PlanSetting,
    PlanStatus,
    ProgressReport,
    Task,
    TaskShare,
    TaskStatus,
    WorkLogEntry,
)
from gandan.plans.periods import month_bounds, previous_month

MONTHS = 6
ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]

CATALOGUE: tuple[tuple[str, str, str, str, str], ...] = (  # code, group, name, unit of product, norm weight
    ("A01", "A", "Chủ trì, điều hành cuộc họp, hội nghị", "cuộc", "2"),
    ("A02", "A", "Chỉ đạo xử lý vụ việc phức tạp ở cơ sở", "vụ việc", "3"),
    ("B01", "B", "Tham mưu văn bản chỉ đạo, điều hành", "văn bản", "1.5"),
    ("B02", "B", "Báo cáo định kỳ, chuyên đề", "báo cáo", "1"),
    ("B03", "B", "Giải quyết hồ sơ thủ tục hành chính", "hồ sơ", "0.25"),
    ("B04", "B", "Tiếp công dân, tiếp nhận phản ánh, kiến nghị", "buổi", "0.5"),
    ("C01", "C", "Kiểm tra, đôn đốc thực hiện chỉ tiêu ở thôn", "thôn", "1"),
    ("C02", "C", "Tuyên truyền, vận động nhân dân tại thôn", "buổi", "0.75"),
    ("C03", "C", "Rà soát, cập nhật số liệu hộ gia đình", "thôn", "1.25"),
    ("D01", "D", "Nhiệm vụ đột xuất do lãnh đạo giao", "việc", "1"),
)
AGREED = ("Chuẩn bị hồ sơ đại hội chi bộ thôn", "Phối hợp tổ chức Ngày cuối tuần cùng dân",
          "Khảo sát tuyến đường sạt lở sau mưa lũ", "Tổng hợp ý kiến cử tri trước kỳ họp",
          "Hỗ trợ hộ nghèo hoàn thiện hồ sơ vay vốn")
FAILURES = ("Số liệu không khớp với sổ theo dõi của thôn", "Văn bản sai thể thức, thiếu căn cứ pháp lý",
            "Biên bản thiếu chữ ký của đại diện hộ dân", "Báo cáo thiếu phần đánh giá nguyên nhân")
LOG_NOTES = ("Họp giao ban đầu tuần", "Soạn thảo, trình ký văn bản", "Tiếp công dân tại bộ phận một cửa",
             "Xuống thôn nắm tình hình", "Tổng hợp số liệu báo cáo", "Làm việc với trưởng thôn")
CAUSES = ((CauseKind.WEATHER, "Mưa lũ chia cắt đường vào thôn, không đi lại được"),
          (CauseKind.LEAVE, "Cán bộ nghỉ ốm theo chế độ, có giấy xác nhận"),
          (CauseKind.DECISION, "Cấp trên điều động tham gia đoàn công tác đột xuất"))


def _rng(seed: int, *key: Any) -> random.Random:
    return random.Random(":".join([str(seed), "plans", *map(str, key)]))


class _Builder:
    def __init__(self, province: AdminUnit, seed: int, today: dt.date) -> None:
        self.province, self.seed, self.today = province, seed, today
        first = today.replace(day=1)
        self.months = [first]
        for _ in range(MONTHS - 1):
            self.months.insert(0, previous_month(self.months[0]))
        self.agencies = list(Agency.objects.filter(unit__province=province, unit__level__code="commune",
                                                   unit__code__in=FEATURED_COMMUNES.get(province.code, ()))
                             .order_by("unit__code", "name"))
        self.tasks: list[Task] = []
        self.later: list[Callable[[], None]] = []
        self.counts = {"late": 0, "failed": 0, "exempted": 0, "reassigned": 0, "overdue": 0, "waiting": 0,
                       "linked": 0, "log_lines": 0}
        self.followed: dict[int, list[int]] = {}
        for cadre_id, unit_id in (Assignment.objects.filter(cadre__agency__in=self.agencies, unit__isnull=False)
                                  .order_by("cadre_id", "unit_id").values_list("cadre_id", "unit_id")):
            self.followed.setdefault(cadre_id, []).append(unit_id)
        self.campaigns = list(Campaign.objects.filter(province=province).order_by("pk"))
        self.meetings: dict[int, list[Meeting]] = {}
        for meeting in Meeting.objects.filter(province=province, date__gte=self.months[0]).order_by("date", "pk"):
            self.meetings.setdefault(meeting.unit_id, []).append(meeting)

    def heads(self) -> dict[int, User]:
        """agency id → the account of its head (cadre without a manager), made when missing."""
        heads = {c.agency_id: c for c in Cadre.objects.filter(agency__in=self.agencies, manager__isnull=True,
                                                            left_on__isnull=True).order_by("code")}
        users = {u.cadre_id: u for u in User.objects.filter(cadre__in=list(heads.values()))}
        missing = [User(username=f"lanhdao.{c.code.lower()}", first_name=c.full_name, cadre=c)
                   for c in heads.values() if c.pk not in users]
        for user in missing:
            user.set_unusable_password()
        User.objects.bulk_create(missing)
        users.update({u.cadre_id: u for u in User.objects.filter(cadre__in=list(heads.values()))})
        return {agency_id: users[c.pk] for agency_id, c in heads.items()}

    def catalogues(self) -> dict[int, list[CatalogueItem]]:
        start = self.months[0]
        items = [CatalogueItem(province=self.province, agency=a, code=code, group=group, name=name,
                               product_unit=unit, weight=Decimal(weight), valid_from=start,
                               usable_by="leaders" if group == "A" else "everyone")
                 for a in self.agencies for code, group, name, unit, weight in CATALOGUE]
        CatalogueItem.objects.bulk_create(items)
        found: dict[int, list[CatalogueItem]] = {}
        for item in CatalogueItem.objects.filter(agency__in=self.agencies).exclude(group="A").order_by("code"):
            found.setdefault(item.agency_id, []).append(item)
        return found

    def plans(self, heads: dict[int, User]) -> dict[tuple[int, dt.date], Plan]:
        staff = Cadre.objects.filter(agency__in=self.agencies, manager__isnull=False, left_on__isnull=True)
        rows = []
        for cadre in staff.order_by("code"):
            rng = _rng(self.seed, "plan", cadre.code)
            for month in self.months:
                current = month == self.months[-1]
                status = rng.choices([PlanStatus.APPROVED, PlanStatus.SUBMITTED, PlanStatus.DRAFT],
                                     [6, 3, 1])[0] if current else PlanStatus.APPROVED
                starts, ends = month_bounds(month)
                decided = timezone.make_aware(dt.datetime.combine(starts + dt.timedelta(days=2), dt.time(9)))
                rows.append(Plan(province=self.province, unit_id=cadre.unit_id, agency_id=cadre.agency_id,
                                 cadre=cadre, period="month", starts_on=starts, ends_on=ends, status=status,
                                 submitted_at=decided if status != PlanStatus.DRAFT else None,
                                 decided_by=heads.get(cadre.agency_id) if status == PlanStatus.APPROVED else None,
                                 decided_at=decided if status == PlanStatus.APPROVED else None))
        Plan.objects.bulk_create(rows)
        return {(p.cadre_id, p.starts_on): p for p in Plan.objects.filter(agency__in=self.agencies)
                .select_related("cadre")}

    def build(self, heads: dict[int, User], items: dict[int, list[CatalogueItem]],
              plans: dict[tuple[int, dt.date], Plan]) -> dict[str, int]:
        by_agency: dict[tuple[int, dt.date], list[Plan]] = {}
        for plan in plans.values():
            by_agency.setdefault((plan.agency_id, plan.starts_on), []).append(plan)
        shares: list[tuple[Task, list[tuple[int, dt.date, dt.date | None]]]] = []
        events: list[tuple[Task, dict[str, Any]]] = []
        for (cadre_id, month), plan in sorted(plans.items(), key=lambda kv: (kv[1].cadre.code, kv[0][1])):
            rng = _rng(self.seed, "tasks", plan.cadre.code, month)
            head = heads.get(plan.agency_id)
            for index in range(rng.randint(3, 5)):
                task, story = self._task(rng, plan, head, items.get(plan.agency_id, []), index)
                self.tasks.append(task)
                owners: list[tuple[int, dt.date, dt.date | None]] = [(cadre_id, task.starts_on, None)]
                colleagues = [p for p in by_agency[(plan.agency_id, month)] if p.cadre_id != cadre_id]
                long_enough = task.due_on > task.starts_on + dt.timedelta(days=10)
                if story["past"] and colleagues and long_enough and rng.random() < 0.03:
                    other = rng.choice(colleagues)
                    handover = task.starts_on + dt.timedelta(days=(task.due_on - task.starts_on).days // 2)
                    owners = [(cadre_id, task.starts_on, handover), (other.cadre_id, handover, None)]
                    task.owner_id, task.plan = other.cadre_id, other
                    self.counts["reassigned"] += 1
                shares.append((task, owners))
                events.append((task, story))
        Task.objects.bulk_create(self.tasks, batch_size=2000)
        TaskShare.objects.bulk_create([TaskShare(task=t, cadre_id=c, started_on=s, ended_on=e,
                                                 reason="Điều động công tác khác" if e else "")
                                       for t, owners in shares for c, s, e in owners], batch_size=2000)
        return self._events(events, heads)

    def _task(self, rng: random.Random, plan: Plan, head: User | None, items: list[CatalogueItem],
              index: int) -> tuple[Task, dict[str, Any]]:
        starts, ends = plan.starts_on, plan.ends_on
        due = starts + dt.timedelta(days=rng.randint(6, (ends - starts).days))
        item = rng.choice(items) if items and rng.random() < 0.8 else None
        quantity = Decimal(rng.randint(1, 4)) if item else None
        weight = item.weight * quantity if item and quantity else Decimal(rng.choice(("0.5", "1", "1.5", "2")))
        task = Task(province=self.province, client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4), plan=plan,
                    owner_id=plan.cadre_id, assigner=head if plan.status == PlanStatus.APPROVED else None,
                    title=item.name if item else rng.choice(AGREED), catalogue_item=item, weight=weight,
                    target_kind="quantity" if item else "done", target_quantity=quantity,
                    target_unit=item.product_unit if item else "", starts_on=starts, due_on=due, created_by=head)
        self._link(task, index)
        story = self._story(rng, task, head)
        return task, story

    def _link(self, task: Task, index: int) -> None:
        """What the task serves, from its own random stream (the outcomes' streams stay as they were)."""
        rng = _rng(self.seed, "links", task.plan.cadre.code, task.plan.starts_on, index)
        roll = rng.random()
        followed = self.followed.get(task.owner_id, [])
        running = [c for c in self.campaigns if c.starts_on <= task.due_on and (c.ends_on is None
                                                                                or c.ends_on >= task.starts_on)]
        meetings = [m for m in self.meetings.get(task.plan.unit_id, []) if task.starts_on <= m.date <= task.due_on]
        if roll < 0.25 and followed:
            task.unit_id = rng.choice(followed)
        elif roll < 0.35 and running:
            task.campaign = rng.choice(running)
        elif roll < 0.42 and meetings:
            task.meeting = rng.choice(meetings)
        else:
            return
        self.counts["linked"] += 1

    def _story(self, rng: random.Random, task: Task, head: User | None) -> dict[str, Any]:
        """What happens to the task, decided now and written once the task has its id."""
        today, due = self.today, task.due_on
        story: dict[str, Any] = {"past": due < today, "failed": None, "cause": None, "assessed": None}
        if head is None or task.assigner is None:
            return story
        roll = rng.random()
        if due >= today:  # the current month, still in progress
            if roll < 0.25 and today > task.starts_on:
                self._done(task, task.starts_on + dt.timedelta(days=rng.randint(0, (today - task.starts_on).days)))
                self.counts["waiting"] += 1
            elif task.target_quantity:
                task.progress_quantity = Decimal(rng.randint(0, int(task.target_quantity) - 1))
            return story
        if roll < 0.04:  # still open, overdue
            self.counts["overdue"] += 1
            return story
        late = roll < 0.22
        done = due + dt.timedelta(days=rng.randint(1, 6)) if late else due - dt.timedelta(days=rng.randint(0, 4))
        done = max(min(done, today - dt.timedelta(days=1)), task.starts_on)
        if 0.22 <= roll < 0.36 and done + dt.timedelta(days=2) < today:  # failed once for a major error, redone
            story["failed"] = (done + dt.timedelta(days=1), rng.choice(FAILURES))
            done = min(done + dt.timedelta(days=rng.randint(2, 4)), today - dt.timedelta(days=1))
        self._done(task, done)
        if done > due:
            self.counts["late"] += 1
        if (roll < 0.08 or 0.33 <= roll < 0.36) and (done > due or story["failed"]):
            story["cause"] = rng.choice(CAUSES)
            self.counts["exempted"] += 1
        if roll > 0.97 and done > today - dt.timedelta(days=10):
            self.counts["waiting"] += 1  # done, not yet assessed
        else:
            task.status = TaskStatus.ACCEPTED
            story["assessed"] = min(done + dt.timedelta(days=rng.randint(0, 3)), today)
        return story

    @staticmethod
    def _done(task: Task, day: dt.date) -> None:
        task.status, task.done_on = TaskStatus.DONE, day
        if task.target_quantity:
            task.progress_quantity = task.target_quantity

    def _events(self, events: list[tuple[Task, dict[str, Any]]], heads: dict[int, User]) -> dict[str, int]:
        reports: list[ProgressReport] = []
        assessments: list[Assessment] = []
        delays: list[Delay] = []
        causes: list[tuple[str, Assessment | Delay, Task, tuple[str, str]]] = []
        for task, story in events:
            head = task.assigner
            if task.done_on:
                reports.append(ProgressReport(province=self.province, task=task, quantity=task.progress_quantity,
                                              note="Đã hoàn thành, gửi kèm biên bản", marks_done=True,
                                              client_uuid=uuid.UUID(int=task.client_uuid.int ^ 1, version=4),
                                              reported_at=_at(task.done_on, 16)))
            if head is None:
                continue
            if story["failed"]:
                day, note = story["failed"]
                failed = Assessment(province=self.province, task=task, owner_id=task.owner_id, outcome=Outcome.FAILED,
                                    note=note, assessed_by=head, assessed_on=day, assessed_at=_at(day, 10))
                assessments.append(failed)
                self.counts["failed"] += 1
                if story["cause"] and not (task.done_on and task.done_on > task.due_on):
                    causes.append(("assessment", failed, task, story["cause"]))
            if task.done_on and task.done_on > task.due_on:
                delay = Delay(province=self.province, task=task, owner_id=task.owner_id, due_on=task.due_on,
                              done_on=task.done_on, days_late=(task.done_on - task.due_on).days)
                delays.append(delay)
                if story["cause"]:
                    causes.append(("delay", delay, task, story["cause"]))
            if story["assessed"]:
                assessments.append(Assessment(province=self.province, task=task, owner_id=task.owner_id,
                                              outcome=Outcome.ACCEPTED, assessed_by=head, assessed_on=story["assessed"],
                                              assessed_at=_at(story["assessed"], 11)))
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        Assessment.objects.bulk_create(assessments, batch_size=2000)
        Delay.objects.bulk_create(delays, batch_size=2000)
        ObjectiveCause.objects.bulk_create([
            ObjectiveCause(province=self.province, task=task, kind=kind, reason=reason, certified_by=task.assigner,
                           evidence_link="https://tuyenquang.gov.vn/van-ban/xac-nhan",
                           **{which: target}) for which, target, task, (kind, reason) in causes], batch_size=2000)
        return {"tasks": len(self.tasks), "reports": len(reports), "assessments": len(assessments),
                "delays": len(delays), "causes": len(causes)}


def _work_log(builder: _Builder) -> int:
    """The demo cadre's agency keeps a daily work log: each of its staff logged the last two weeks'
    working days, two or three lines a day against their current tasks, now and then beyond 8 hours."""
    demo_user = User.objects.filter(username__startswith="canbo.", cadre__agency__in=builder.agencies).order_by(
        "username").select_related("cadre").first()
    if demo_user is None or demo_user.cadre is None:
        return 0
    agency_id = demo_user.cadre.agency_id
    if WorkLogEntry.objects.filter(cadre__agency_id=agency_id).exists():
        return 0
    PlanSetting.objects.update_or_create(agency_id=agency_id, defaults={"work_log": True})
    today = builder.today
    days = [today - dt.timedelta(days=n) for n in range(1, 15) if (today - dt.timedelta(days=n)).weekday() < 5]
    tasks: dict[int, list[Task]] = {}
    for task in Task.objects.filter(owner__agency_id=agency_id, starts_on__lte=today,
                                    due_on__gte=today - dt.timedelta(days=14)).order_by("owner_id", "due_on", "pk"):
        tasks.setdefault(task.owner_id, []).append(task)
    lines = []
    for cadre in Cadre.objects.filter(agency_id=agency_id, left_on__isnull=True).order_by("code"):
        rng = _rng(builder.seed, "log", cadre.code)
        for day in days:
            hours = [Decimal(h) for h in rng.choice((("4", "3.5"), ("3", "3", "2"), ("5", "3"), ("4", "4", "2.5")))]
            for n, h in enumerate(hours):
                mine = [t for t in tasks.get(cadre.pk, []) if t.starts_on <= day <= (t.done_on or t.due_on)]
                served = rng.choice(mine) if mine and rng.random() < 0.7 else None
                lines.append(WorkLogEntry(province=builder.province, cadre=cadre, task=served, date=day, hours=h,
                                          note=served.title if served else rng.choice(LOG_NOTES),
                                          client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                                          created_at=_at(day, 17 + n % 2)))
    WorkLogEntry.objects.bulk_create(lines, batch_size=2000)
    return len(lines)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory,
           today: dt.date | None = None) -> dict[str, int]:
    """Add six months of plans and tasks to the demo province; {} when it already has tasks."""
    if Task.objects.filter(province=province).exists():
        return {}
    today = today or timezone.localdate()
    demo_logins_ensure(province_code=province.code)
    builder = _Builder(province, seed, today)
    with progress(None, gettext("Kế hoạch, nhiệm vụ")) as bar:
        heads = builder.heads()
        items = builder.catalogues()
        plans = builder.plans(heads)
        made = builder.build(heads, items, plans)
        builder.counts["log_lines"] = _work_log(builder)
        bar.update(made["tasks"])
    audit.record(actor=None, action="demo.plans", obj=province,
                 after={"seed": seed, "from": builder.months[0], "to": today, "plans": len(plans), **made,
                        **builder.counts})
    return {gettext("kế hoạch"): len(plans), gettext("nhiệm vụ"): made["tasks"], gettext("chậm hạn"): made["delays"],
            gettext("không đạt"): builder.counts["failed"], gettext("miễn trừ"): made["causes"],
            gettext("giao lại"): builder.counts["reassigned"],
            gettext("dòng nhật ký công việc"): builder.counts["log_lines"]}
