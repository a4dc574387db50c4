"""Demo concerns for `gandan demo`: six months of concerns in every commune of the province, most
answered on time and rated, some late, escalated, transferred to departments, reopened after a poor
rating, merged as duplicates or routed out as complaints, and the recent ones still open (some of
them overdue). Each concern is simulated step by step on the province's working calendar, then
everything is written with bulk inserts. The same seed on the same day gives the same concerns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # Sim has a field named `field`
from typing import Any

from django.db.models import BigIntegerField, Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from gandan.core import audit
from gandan.core.bulk import bulk_insert, insert_objects
from gandan.core.text import fold
from gandan.demo import names
from gandan.demo.build import FEATURED_COMMUNES
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household
from gandan.people.models import Cadre
from gandan.petitions import config, deadlines, states
from gandan.petitions.models import (
    Answer,
    DayCounter,
    Outcome,
    Petition,
    PetitionEvent,
    PetitionHolding,
    Rating,
)
from gandan.petitions.services import tracking_code

DAYS_BACK = 182
NO_PIN = "!"  # an unusable hash: no demo citizen got a receipt; a handler issues a PIN when one is needed
PER_COMMUNE = (12, 34)
PER_FEATURED = (110, 160)
FIELD_WEIGHTS = (("infrastructure", 25), ("land", 19), ("social_policy", 14), ("environment", 10), ("health", 8),
                 ("education", 7), ("admin_procedure", 8), ("security", 5), ("other", 4))
URGENCY_WEIGHTS = (("normal", 80), ("urgent", 8), ("complex", 12))
CHANNEL_WEIGHTS = (("visit", 55), ("office", 28), ("public", 13), ("open311", 4))
SCENARIOS = (("local", 50), ("late", 8), ("escalated", 8), ("transferred", 13), ("reopened", 5),
             ("routed_out", 3), ("merged", 2), ("overdue", 6), ("unrated", 5))
TEXTS: dict[str, tuple[str, ...]] = {
    "infrastructure": (
        "Đường liên thôn từ {village} ra trung tâm xã bị sạt lở sau mưa lớn, xe máy không đi qua được; đề nghị "
        "xã sớm khắc phục.",
        "Cầu tràn ở {village} xuống cấp, mùa mưa nước tràn qua mặt cầu, học sinh đi học nguy hiểm.",
        "Đề nghị lắp đèn chiếu sáng đoạn đường qua {village}, buổi tối rất tối, đã có người ngã xe.",
        "Rãnh thoát nước dọc đường {village} bị tắc, nước tràn vào nhà dân khi mưa.",
        "Đường bê tông mới làm ở {village} đã nứt vỡ nhiều đoạn, đề nghị kiểm tra chất lượng công trình.",
    ),
    "land": (
        "Hộ gia đình ở {village} chưa được cấp giấy chứng nhận quyền sử dụng đất dù đã nộp hồ sơ hơn một năm.",
        "Tranh chấp ranh giới đất nương giữa hai hộ ở {village}, đề nghị xã đo đạc lại.",
        "Đề nghị giải thích mức bồi thường khi thu hồi đất làm đường qua {village}.",
        "Diện tích đất trên sổ đỏ không khớp với thực tế sử dụng ở {village}, đề nghị chỉnh lý.",
    ),
    "social_policy": (
        "Gia đình thuộc diện hộ nghèo ở {village} nhưng chưa được nhận hỗ trợ tiền điện quý này.",
        "Người cao tuổi trên 80 tuổi ở {village} chưa được hưởng trợ cấp xã hội hằng tháng.",
        "Đề nghị xem xét hỗ trợ làm nhà cho hộ có nhà dột nát ở {village}.",
        "Thắc mắc về việc bình xét hộ cận nghèo năm nay ở {village} chưa công khai.",
    ),
    "environment": (
        "Rác thải sinh hoạt ở {village} không được thu gom, đổ ra suối gây ô nhiễm.",
        "Trại chăn nuôi lợn gần {village} xả nước thải ra mương, mùi hôi ảnh hưởng các hộ xung quanh.",
        "Khai thác cát trái phép trên sông đoạn qua {village} gây sạt lở bờ.",
    ),
    "health": (
        "Trạm y tế xã thiếu thuốc thông thường, người dân {village} phải đi xa mua thuốc.",
        "Đề nghị tổ chức tiêm chủng lưu động cho trẻ em ở {village} vì đường xa.",
        "Thẻ bảo hiểm y tế của người dân tộc thiểu số ở {village} chưa được cấp lại.",
    ),
    "education": (
        "Điểm trường ở {village} xuống cấp, mái dột, đề nghị sửa trước năm học mới.",
        "Học sinh {village} đi học xa, đề nghị bố trí nhà bán trú.",
        "Trường mầm non thiếu giáo viên, lớp ghép đông ở {village}.",
    ),
    "admin_procedure": (
        "Thủ tục đăng ký khai sinh cho trẻ ở {village} phải đi lại nhiều lần, đề nghị hướng dẫn rõ.",
        "Hồ sơ chứng thực ở bộ phận một cửa bị trả lại không nêu lý do.",
        "Đề nghị hướng dẫn thủ tục tách hộ khẩu, người dân {village} chưa rõ.",
    ),
    "security": (
        "Tình trạng trộm cắp gia súc ở {village} tăng, đề nghị tăng cường tuần tra.",
        "Nhóm thanh niên tụ tập gây mất trật tự ban đêm ở {village}.",
    ),
    "other": (
        "Sóng điện thoại ở {village} rất yếu, khó liên lạc khi có việc gấp.",
        "Đề nghị hỗ trợ giống cây trồng cho các hộ ở {village} sau đợt rét đậm.",
    ),
}
ANSWERS = (
    "Ủy ban đã kiểm tra thực tế, giao bộ phận chuyên môn khắc phục; dự kiến hoàn thành trong tháng.",
    "Đã xác minh và giải quyết theo đúng quy định; hồ sơ đã được bổ sung và trả kết quả cho người dân.",
    "Đã đưa vào kế hoạch năm nay; trong thời gian chờ, xã bố trí biện pháp tạm thời bảo đảm an toàn.",
    "Đã tổ chức đối thoại với các hộ liên quan, thống nhất phương án và lập biên bản.",
)
COMPLAINT_REASONS = (
    ("complaint", "Nội dung là khiếu nại quyết định hành chính về đất đai: hướng dẫn gửi đơn theo Luật Khiếu nại."),
    ("denunciation", "Nội dung tố cáo hành vi của cán bộ: chuyển cơ quan có thẩm quyền theo Luật Tố cáo."),
)


def _pick(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weights], weights=[w for _, w in weights])[0]


@dataclass
class Stint:
    unit_id: int
    agency_id: int | None
    cadre_id: int | None
    started_at: dt.datetime
    accept_due_at: dt.datetime
    due_at: dt.datetime
    accepted_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    outcome: str = ""
    satisfied: bool | None = None


@dataclass
class Sim:
    """One concern being lived through (naive local times)."""

    index: int
    commune: AdminUnit
    village: AdminUnit
    field: str
    urgency: str
    channel: str
    received: dt.datetime
    status: str = states.RECEIVED
    stints: list[Stint] = dataclass_field(default_factory=list)
    events: list[tuple[dt.datetime, str, str, str, int | None, str]] = dataclass_field(default_factory=list)
    answers: list[tuple[int, dt.datetime, str, bool | None, dt.datetime | None]] = dataclass_field(default_factory=list)
    kind: str = "concern"
    kind_reason: str = ""
    merged_into: int | None = None
    escalations: int = 0
    closed_at: dt.datetime | None = None

    @property
    def holder(self) -> Stint:
        return self.stints[-1]


class _Builder:
    def __init__(self, province: AdminUnit, seed: int, now: dt.datetime) -> None:
        self.province, self.seed, self.now = province, seed, now
        self.clock = config.clock_for(province)
        self.cal = self.clock.calendar(config.years_around(now))  # the concerns of the last six months
        self.levels: dict[int, str] = {}
        committees = Agency.objects.filter(province=province, kind=AgencyKind.PEOPLES_COMMITTEE)
        self.committee = {a.unit_id: a.pk for a in committees}
        departments = list(Agency.objects.filter(province=province, kind=AgencyKind.DEPARTMENT,
                                                 unit=province).order_by("id"))
        self.department_for = {}
        for code, _w in FIELD_WEIGHTS:
            competent = sorted((a for a in departments if code in (a.fields or [])),
                               key=lambda a: (len(a.fields or []), a.pk))
            if competent:
                self.department_for[code] = competent[0]
        agencies = set(self.committee.values()) | {a.pk for a in self.department_for.values()}
        self.cadres: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for agency_id, pk, position, full_name in Cadre.objects.filter(agency_id__in=agencies).order_by(
                "code").values_list("agency_id", "id", "position", "full_name"):
            self.cadres[agency_id].append((pk, position, full_name))
        self.names = {pk: name for rows in self.cadres.values() for pk, _p, name in rows}

    def rng(self, *keys: Any) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, "petitions", *keys)))

    def deadlines(self, start: dt.datetime, sim: Sim, level: str) -> tuple[dt.datetime, dt.datetime]:
        found = deadlines.deadlines_for(self.cal, start, self.clock.rules, field=sim.field, urgency=sim.urgency,
                                        level=level)
        return found.accept_by, found.resolve_by

    def cadre_for(self, rng: random.Random, agency_id: int | None, field_code: str) -> int | None:
        rows = self.cadres.get(agency_id or 0, [])
        if not rows:
            return None
        preferred = [pk for pk, position, _n in rows if "Địa chính" in position] if field_code in (
            "land", "infrastructure", "environment") else [pk for pk, position, _n in rows if "Công chức" in position]
        pool = preferred or [pk for pk, _p, _n in rows]
        return rng.choice(pool[:6])

    # -- steps ------------------------------------------------------------------------------------
    def start(self, sim: Sim, unit: AdminUnit | None, agency_id: int | None, cadre_id: int | None,
              at: dt.datetime, level: str) -> None:
        accept_by, due = self.deadlines(at, sim, level)
        sim.stints.append(Stint(unit.pk if unit else self.province.pk, agency_id, cadre_id, at, accept_by, due))

    def event(self, sim: Sim, at: dt.datetime, action: str, from_status: str, note: str = "") -> None:
        cadre = sim.holder.cadre_id
        sim.events.append((at, action, from_status, sim.status, cadre, note))

    def after(self, at: dt.datetime, low: float, high: float, rng: random.Random) -> dt.datetime:
        return self.cal.add(at, dt.timedelta(hours=rng.uniform(low, high)))

    def live(self, sim: Sim, rng: random.Random, scenario: str, targets: dict[int, list[int]]) -> None:
        """Walk the concern through its scenario, stopping at `now` wherever it has got to."""
        now, committee = self.now, self.committee.get(sim.commune.pk)
        self.start(sim, sim.commune, committee, None, sim.received, "commune")
        self.event(sim, sim.received, "receive", "")
        if scenario == "overdue" and rng.random() < 0.3:
            return  # never taken up: overdue once the accept deadline passes
        accepted = self.after(sim.received, 0.3, 7, rng)
        if accepted > now:
            return
        self.accept(sim, accepted, rng, committee)
        if scenario == "routed_out":
            kind, reason = rng.choice(COMPLAINT_REASONS)
            at = self.after(accepted, 0.5, 4, rng)
            if at <= now:
                sim.kind, sim.kind_reason = kind, reason
                self.end(sim, at, Outcome.ROUTED_OUT, states.ROUTED_OUT, "route_out", reason)
                sim.closed_at = at
            return
        if scenario == "merged" and targets.get(sim.commune.pk):
            at = self.after(accepted, 0.2, 3, rng)
            if at <= now:
                sim.merged_into = rng.choice(targets[sim.commune.pk][-20:])
                self.end(sim, at, Outcome.MERGED, states.MERGED, "merge", "Trùng nội dung với phản ánh đã có")
                sim.closed_at = at
            return
        if scenario in ("escalated", "transferred"):
            at = self.after(accepted, 1, 14, rng)
            if at > now:
                return self.handle(sim, accepted)
            if scenario == "escalated":
                self.end(sim, at, Outcome.ESCALATED, states.ESCALATED, "escalate",
                         "Vượt thẩm quyền cấp xã: cần kinh phí, quyết định của tỉnh")
                self.start(sim, self.province, self.committee.get(self.province.pk), None, at, "province")
                sim.escalations += 1
            else:
                department = self.department_for.get(sim.field)
                if department is None:
                    return self.handle(sim, accepted)
                self.end(sim, at, Outcome.TRANSFERRED, states.TRANSFERRED, "transfer",
                         f"Thuộc thẩm quyền của {department.name}")
                self.start(sim, self.province, department.pk, None, at, "province")
            accepted = self.after(at, 0.5, 12, rng)
            if accepted > now:
                return
            self.accept(sim, accepted, rng, sim.holder.agency_id)
        self.handle(sim, accepted)
        holder = sim.holder
        if scenario == "overdue":
            if holder.due_at < now and rng.random() < 0.4 and sim.stints[0] is holder:
                at = self.cal.add(holder.due_at, dt.timedelta(hours=1))
                if at <= now:  # the hourly job escalated it; the province has not taken it up yet
                    self.end(sim, at, Outcome.OVERDUE, states.ESCALATED, "auto_escalate",
                             "Quá hạn xử lý tại cấp xã; hệ thống tự động chuyển cấp trên")
                    self.start(sim, self.province, self.committee.get(self.province.pk), None, at, "province")
                    sim.escalations += 1
            return
        span = self.cal.between(accepted, holder.due_at)
        if scenario == "late":
            answered = self.cal.add(holder.due_at, dt.timedelta(hours=rng.uniform(4, 60)))
        else:
            answered = self.cal.add(accepted, span * rng.uniform(0.15, 0.9))
        if answered > now:
            return
        self.answer(sim, answered, rng)
        if scenario == "unrated":
            return
        rated = answered + dt.timedelta(days=rng.uniform(0.5, 6))
        if rated > now:
            return
        satisfied = scenario != "reopened" and rng.random() < (0.93 if scenario == "local" else 0.8)
        self.reopen_or_close(sim, rated, satisfied)
        if satisfied or sim.stints[-2].unit_id == self.province.pk:
            return  # closed, or reopened at the top (the province holds it again)
        accepted = self.after(rated, 1, 10, rng)
        if accepted > now:
            return
        self.accept(sim, accepted, rng, sim.holder.agency_id)
        answered = self.cal.add(accepted, self.cal.between(accepted, sim.holder.due_at) * rng.uniform(0.2, 0.8))
        if answered <= now:
            self.answer(sim, answered, rng)
            rated = answered + dt.timedelta(days=rng.uniform(1, 5))
            if rated <= now:
                self.reopen_or_close(sim, rated, rng.random() < 0.85)

    def reopen_or_close(self, sim: Sim, at: dt.datetime, satisfied: bool) -> None:
        """The rating; a poor one reopens the concern one level up (the province; at the top, itself)."""
        self.rate(sim, at, satisfied)
        if not satisfied:
            self.start(sim, self.province, self.committee.get(self.province.pk), None, at, "province")

    def accept(self, sim: Sim, at: dt.datetime, rng: random.Random, agency_id: int | None) -> None:
        stint = sim.holder
        stint.accepted_at = at
        stint.cadre_id = stint.cadre_id or self.cadre_for(rng, agency_id, sim.field)
        from_status, sim.status = sim.status, states.ACCEPTED
        self.event(sim, at, "accept", from_status)

    def handle(self, sim: Sim, accepted: dt.datetime) -> None:
        at = accepted + dt.timedelta(minutes=20)
        if at <= self.now and sim.status == states.ACCEPTED:
            sim.status = states.HANDLING
            self.event(sim, at, "handle", states.ACCEPTED)

    def end(self, sim: Sim, at: dt.datetime, outcome: str, status: str, action: str, note: str) -> None:
        stint = sim.holder
        stint.ended_at, stint.outcome = at, outcome
        from_status, sim.status = sim.status, status
        self.event(sim, at, action, from_status, note)

    def answer(self, sim: Sim, at: dt.datetime, rng: random.Random) -> None:
        self.end(sim, at, Outcome.ANSWERED, states.ANSWERED, "answer", "")
        sim.answers.append((len(sim.stints) - 1, at, rng.choice(ANSWERS), None, None))

    def rate(self, sim: Sim, at: dt.datetime, satisfied: bool) -> None:
        stint_index, answered, text, _s, _at = sim.answers[-1]
        sim.answers[-1] = (stint_index, answered, text, satisfied, at)
        sim.stints[stint_index].satisfied = satisfied
        from_status = sim.status
        sim.status = states.CLOSED if satisfied else states.REOPENED
        if satisfied:
            sim.closed_at = at
        self.event(sim, at, "rate_satisfied" if satisfied else "rate_unsatisfied", from_status)


def _received(rng: random.Random, cal: Any, now: dt.datetime) -> dt.datetime:
    """A moment in office hours (most) or an evening (the public form) within the last six months."""
    day = (now - dt.timedelta(days=rng.uniform(0, DAYS_BACK))).date()
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    hour = rng.choice((7.6, 8, 8.5, 9, 9.5, 10, 10.5, 11, 13.6, 14, 14.5, 15, 15.5, 16, 16.5))
    moment = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(hours=hour, minutes=rng.randint(0, 25))
    return min(moment, now - dt.timedelta(minutes=5))


def extend(province: AdminUnit, *, seed: int, progress: Callable[..., Any]) -> dict[str, int]:
    """The `gandan demo` hook: six months of concerns up to now, once."""
    return build(province, seed=seed, progress=progress, now=timezone.now())


def build(province: AdminUnit, *, seed: int, progress: Callable[..., Any], now: dt.datetime) -> dict[str, int]:
    if Petition.objects.filter(province=province).exists():
        return {}
    started = time.monotonic()
    now = config.local(now).replace(second=0, microsecond=0)
    builder = _Builder(province, seed, now)
    communes = list(AdminUnit.objects.current().filter(province=province, level__code="commune").order_by("code"))
    villages: dict[int, list[AdminUnit]] = defaultdict(list)
    for village in AdminUnit.objects.current().filter(province=province, level__code="village").order_by("code"):
        villages[village.parent_id].append(village)  # type: ignore[index]  # a village's parent is set
    featured = set(FEATURED_COMMUNES.get(province.code, ()))
    plan: list[tuple[AdminUnit, random.Random, int]] = []
    for commune in communes:
        rng = builder.rng("count", commune.code)
        plan.append((commune, rng, rng.randint(*(PER_FEATURED if commune.code in featured else PER_COMMUNE))))
    sims: list[Sim] = []
    with progress(sum(n for *_, n in plan), gettext("Phản ánh, kiến nghị")) as bar:
        for commune, rng, count in plan:
            places = villages.get(commune.pk) or [commune]
            born = sorted(_received(rng, builder.cal, now) for _ in range(count))
            for moment in born:
                sims.append(Sim(index=len(sims), commune=commune, village=rng.choice(places),
                                field=_pick(rng, FIELD_WEIGHTS), urgency=_pick(rng, URGENCY_WEIGHTS),
                                channel=_pick(rng, CHANNEL_WEIGHTS), received=moment))
        sims.sort(key=lambda s: (s.received, s.commune.code))
        targets: dict[int, list[int]] = defaultdict(list)
        for index, sim in enumerate(sims):
            sim.index = index
            rng = builder.rng("life", sim.commune.code, sim.received.isoformat(), index)
            builder.live(sim, rng, _pick(rng, SCENARIOS), targets)
            if sim.status in states.OPEN or sim.status == states.ANSWERED:
                targets[sim.commune.pk].append(index)
            bar.update(1)
    counts = _write(province, builder, sims, config.aware(now))
    audit.record(actor=None, action="demo.petitions", obj=province,
                 after={"seed": seed, **counts, "seconds": round(time.monotonic() - started, 2)})
    return counts


def _codes(province: AdminUnit, sims: list[Sim]) -> tuple[list[str], dict[dt.date, int]]:
    """Tracking codes in order of receipt, after any number the province's day counter has already given."""
    days = sorted({s.received.date() for s in sims})
    counters = DayCounter.objects.filter(province=province)
    given = dict(counters.filter(day__in=days).values_list("day", "last"))
    last = dict(given)
    codes = []
    for sim in sims:
        day = sim.received.date()
        last[day] = last.get(day, 0) + 1
        codes.append(tracking_code(day, province.code, last[day]))
    DayCounter.objects.bulk_create([DayCounter(province=province, day=d, last=n) for d, n in last.items()
                                    if d not in given])
    for day, number in last.items():
        if day in given:
            counters.filter(day=day).update(last=number)
    return codes, last


def _write(province: AdminUnit, builder: _Builder, sims: list[Sim], now: dt.datetime) -> dict[str, int]:
    """Everything through the database's bulk path; the ids the next table needs are read back in one
    query per table (codes are unique; stints and answers come back in insertion order)."""
    tz = timezone.get_current_timezone()

    def aware(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else moment.replace(tzinfo=tz)

    village_ids = {s.village.pk for s in sims}
    households: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for village_id, pk, head, phone in Household.objects.filter(village_id__in=village_ids).order_by(
            "id").values_list("village_id", "id", "head_name", "phone"):
        households[village_id].append((pk, head, phone))
    codes, _last = _codes(province, sims)
    petitions = []
    for sim, code in zip(sims, codes, strict=True):
        rng = builder.rng("who", code)
        text = rng.choice(TEXTS[sim.field]).format(village=sim.village.name)
        anonymous = sim.channel == "public" and rng.random() < 0.3
        household = None
        name = phone = ""
        if not anonymous:
            pool = households.get(sim.village.pk)
            if pool and sim.channel in ("visit", "office"):
                household, name, phone = rng.choice(pool)
            else:
                name = names.person_name(rng, names.KINH if rng.random() < 0.5 else names.TAY,
                                         female=rng.random() < 0.4)
                phone = names.mobile_phone(rng)
        source_ref = str(uuid.UUID(int=rng.getrandbits(128))) if sim.channel == "visit" else ""
        holder = sim.holder
        answered = sim.answers[-1][1] if sim.answers else None
        rng.randrange(10**6)  # the draw that was the PIN, kept so that the demo stays the same
        petitions.append(Petition(  # type: ignore[misc]  # aware() of a set time is set
            province=province, code=code, unit=sim.village, household_id=household, anonymous=anonymous,
            citizen_name=name, citizen_phone=phone, field=sim.field, urgency=sim.urgency, kind=sim.kind,
            kind_reason=sim.kind_reason, text=text, text_folded=fold(text), channel=sim.channel,
            source_ref=source_ref,
            source_key=hashlib.sha256(f"{source_ref}\n{text}".encode()).hexdigest() if source_ref else "",
            pin_hash=NO_PIN, status=sim.status, holder_unit_id=holder.unit_id,
            holder_agency_id=holder.agency_id, holder_cadre_id=holder.cadre_id, received_at=aware(sim.received),
            accept_due_at=aware(holder.accept_due_at), due_at=aware(holder.due_at),
            accepted_at=aware(sim.stints[0].accepted_at), answered_at=aware(answered),
            closed_at=aware(sim.closed_at), escalations=sim.escalations, version=len(sim.events)))
    insert_objects(Petition, petitions)
    ids = dict(Petition.objects.filter(province=province).values_list("code", "id"))
    pks = [ids[code] for code in codes]
    merged = [(pks[sim.merged_into], pk) for sim, pk in zip(sims, pks, strict=True) if sim.merged_into is not None]
    if merged:
        Petition.objects.filter(pk__in=[pk for _t, pk in merged]).update(merged_into_id=Case(
            *[When(pk=pk, then=Value(target)) for target, pk in merged], output_field=BigIntegerField()))
    bulk_insert(PetitionHolding, (
        "petition", "province", "unit", "agency", "cadre", "started_at", "accept_due_at", "due_at", "accepted_at",
        "ended_at", "outcome", "satisfied", "rated_by"), [
        (pk, province.pk, s.unit_id, s.agency_id, s.cadre_id, aware(s.started_at), aware(s.accept_due_at),
         aware(s.due_at), aware(s.accepted_at), aware(s.ended_at), s.outcome, s.satisfied,
         "" if s.satisfied is None else "citizen")
        for sim, pk in zip(sims, pks, strict=True) for s in sim.stints])
    stint_ids: dict[int, list[int]] = defaultdict(list)
    for petition_id, stint_id in PetitionHolding.objects.filter(province=province).order_by(
            "petition_id", "id").values_list("petition_id", "id"):
        stint_ids[petition_id].append(stint_id)
    event_rows = []
    for sim, pk in zip(sims, pks, strict=True):
        previous: Stint | None = None
        stint_at = 0
        for at, action, from_status, to_status, cadre_id, note in sim.events:
            while stint_at + 1 < len(sim.stints) and sim.stints[stint_at + 1].started_at <= at and action in (
                    "escalate", "transfer", "auto_escalate", "rate_unsatisfied"):
                previous, stint_at = sim.stints[stint_at], stint_at + 1
            current = sim.stints[stint_at]
            moved = action in ("escalate", "transfer", "auto_escalate", "rate_unsatisfied") and previous is not None
            event_rows.append((
                pk, province.pk, aware(at), None, builder.names.get(cadre_id, "") if cadre_id else "", action,
                from_status, to_status, previous.unit_id if moved else None, previous.agency_id if moved else None,  # type: ignore[union-attr]  # moved: previous is set
                previous.cadre_id if moved else None, current.unit_id, current.agency_id, current.cadre_id, note))  # type: ignore[union-attr]  # moved: previous is set
    bulk_insert(PetitionEvent, ("petition", "province", "at", "actor", "actor_label", "action", "from_status",
                                "to_status", "from_unit", "from_agency", "from_cadre", "to_unit", "to_agency",
                                "to_cadre", "note"), event_rows)
    answer_rows, rated = [], {}
    for sim, pk in zip(sims, pks, strict=True):
        for stint_index, at, text, satisfied, rated_at in sim.answers:
            stint_id = stint_ids[pk][stint_index]
            stint = sim.stints[stint_index]
            answer_rows.append((pk, province.pk, stint_id, stint.unit_id, stint.agency_id, None, text, aware(at)))
            if satisfied is not None:
                rated[stint_id] = (pk, satisfied, aware(rated_at))
    bulk_insert(Answer, ("petition", "province", "holding", "unit", "agency", "author", "text", "answered_at"),
                answer_rows)
    answer_of = dict(Answer.objects.filter(province=province).values_list("holding_id", "id"))
    bulk_insert(Rating, ("petition", "province", "answer", "satisfied", "comment", "by_citizen", "recorded_by",
                         "rated_at", "evidence", "call_number", "evidence_note"),
                [(pk, province.pk, answer_of[stint_id], satisfied, "", True, None, at, "", "", "")
                 for stint_id, (pk, satisfied, at) in rated.items()])
    return {gettext("phản ánh"): len(petitions), gettext("lượt giữ"): sum(len(s.stints) for s in sims),
            gettext("bước"): len(event_rows), gettext("trả lời"): len(answer_rows),
            gettext("quá hạn"): Petition.objects.filter(province=province).overdue(now).count()}
