"""`gandan gen --scale S --seed N`: synthetic but plausible data for measuring, at any size.

Scale 1 is one average province (~100 communes, ~3,000 villages, ~800,000 households, ~60,000
cadres, a year of ~3 million visits, ~50,000 concerns, plans and tasks, weekly field days);
S = 34 is the country. The provinces and communes are the real ones `gandan load-units` loaded
(the provinces whose number of communes is nearest the national average first); villages, people
and a year of work are made up, from a `random.Random` seeded per (seed, table, commune), so a seed
always gives the same rows. Below 1 the province keeps a share of its communes, at least one, and
the densities shrink with it: `--scale 0.0005` is a village or two, for tests on SQLite.

Each table is written in one pass over the provinces with its own progress bar, in chunks through
the bulk path (`gen_tables.Table`: COPY on PostgreSQL), so memory stays flat: what later tables
need is kept as runs of ids (a village's households are consecutive ids), never as rows. One audit
event per province and table records what was written. Communes that already have villages (the
demo's, an import's) are left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from gandan.assignments.models import Assignment, FollowerRole
from gandan.campaigns.models import Campaign, CampaignEvent, EventCadre, Schedule
from gandan.core import audit
from gandan.core.paths import PATH_SEP
from gandan.core.text import fold
from gandan.demo import names
from gandan.demo.gen_tables import Table, reset_sequences
from gandan.fieldwork.models import Visit, VisitHousehold, VisitKind, VisitUnit
from gandan.org.models import AdminUnit, Agency, AgencyKind, Field, Household
from gandan.org.services import levels_ensure
from gandan.people.models import Cadre, EmploymentType
from gandan.petitions.models import Channel, Outcome, Petition, PetitionEvent, PetitionHolding
from gandan.petitions.services import tracking_code
from gandan.plans.models import PeriodKind, Plan, PlanStatus, Task, TaskStatus

# Densities of a commune at scale 1 (the country: ~100,000 villages, ~27 million households, ~2
# million cadres over 3,321 communes, a year of ~100 million visits).
VILLAGES_PER_COMMUNE = 30
HOUSEHOLDS_PER_VILLAGE = 270
CADRES_PER_COMMUNE = 480  # commune level; the province's agencies add a fifth again
PROVINCE_CADRES_PER_COMMUNE = 120
VISITS_PER_CADRE = 50  # a year
CONCERNS_PER_COMMUNE = 500  # a year
PLANNED_SHARE = 0.5  # cadres who keep quarterly plans, three tasks each
TASKS_PER_PLAN = 3
FOLLOWED_HOUSEHOLDS = 0.25  # share of households with a named commune cadre
EVENT_CADRES = 6
EMPLOYMENT_MIX = ((EmploymentType.CADRE, 20), (EmploymentType.CIVIL_SERVANT, 35),
                  (EmploymentType.PUBLIC_EMPLOYEE, 40), (EmploymentType.CONTRACT, 5))
COMMUNE_AGENCIES = ((AgencyKind.PARTY_COMMITTEE, "Đảng ủy"), (AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân"),
                    (AgencyKind.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc"),
                    (AgencyKind.YOUTH_UNION, "Đoàn Thanh niên"), (AgencyKind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ"),
                    (AgencyKind.FARMERS_UNION, "Hội Nông dân"), (AgencyKind.VETERANS_ASSOCIATION, "Hội Cựu chiến binh"))
PROVINCE_AGENCIES = ((AgencyKind.PARTY_COMMITTEE, "Tỉnh ủy"), (AgencyKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân"),
                     (AgencyKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường"), (AgencyKind.DEPARTMENT, "Sở Xây dựng"),
                     (AgencyKind.DEPARTMENT, "Sở Y tế"), (AgencyKind.DEPARTMENT, "Sở Giáo dục và Đào tạo"),
                     (AgencyKind.DEPARTMENT, "Công an tỉnh"))
VILLAGE_KINDS = ((VisitKind.HOUSEHOLD_VISIT, 45), (VisitKind.WORKING_VISIT, 25), (VisitKind.FIELD_DAY, 15),
                 (VisitKind.PARTY_CELL_MEETING, 10), (VisitKind.OTHER, 5))
COMMUNE_KINDS = ((VisitKind.WORKING_VISIT, 60), (VisitKind.COMMITTEE_MEETING, 30), (VisitKind.OTHER, 10))
CONCERN_TEXTS = ("Đường liên thôn xuống cấp, mùa mưa đi lại khó khăn", "Đề nghị hỗ trợ giống cây trồng vụ đông",
                 "Nước sinh hoạt không đủ dùng vào mùa khô", "Đề nghị xem xét hộ nghèo cho gia đình",
                 "Tiếng ồn từ xưởng gỗ ban đêm", "Cấp giấy chứng nhận quyền sử dụng đất chậm",
                 "Đèn đường hỏng nhiều tháng chưa sửa", "Rác thải đổ bừa bãi ven suối")
TASK_TITLES = ("Nắm tình hình hộ nghèo", "Vận động hộ tham gia bảo hiểm y tế", "Tuyên truyền phòng chống ma túy",
               "Đôn đốc thu gom rác thải", "Kiểm tra công trình nước sạch", "Rà soát hộ cận nghèo")

ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]


class GenError(RuntimeError):
    pass


@dataclass
class Commune:
    """What later tables need of a commune: ids and runs of ids, never rows."""

    id: int
    code: str
    name: str
    path: str
    density: float
    villages: list[tuple[int, str, int, int]] = field(default_factory=list)  # id, name, first household, count
    agencies: list[int] = field(default_factory=list)  # committee first, people's committee second
    cadres: tuple[int, int] = (0, 0)  # first id, count


@dataclass
class Province:
    id: int
    code: str
    name: str
    communes: list[Commune]
    agencies: list[int] = field(default_factory=list)
    cadres: tuple[int, int] = (0, 0)


@dataclass
class GenSummary:
    scale: float
    seed: int
    provinces: int
    communes: int
    tables: dict[str, tuple[int, float]] = field(default_factory=dict)  # table → (rows, seconds)
    seconds: float = 0.0


def _rng(seed: int, table: str, key: str) -> random.Random:
    return random.Random(f"{seed}:gen:{table}:{key}")


def _count(mean: float, rng: random.Random, floor: int = 1) -> int:
    """A count around `mean` (±30%), at least `floor`."""
    return max(floor, round(mean * rng.uniform(0.7, 1.3)))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def plan_provinces(scale: float, provinces: int | None = None) -> list[Province]:
    """The provinces and communes a scale covers (see the module docstring); `provinces` spreads the
    scale over that many provinces instead of ceil(scale) (8 provinces of a few communes, to measure
    writers that do not share a province)."""
    if scale <= 0:
        raise GenError(gettext("Tỷ lệ phải lớn hơn 0."))
    rows = list(AdminUnit.objects.current(dt.date(2025, 7, 1)).filter(level__code="province")
                .annotate(n=Count("children")).values_list("id", "code", "name", "n"))
    if not rows:
        raise GenError(gettext("Chưa có đơn vị hành chính: chạy `gandan load-units` trước."))
    average = sum(r[3] for r in rows) / len(rows)
    rows.sort(key=lambda r: (abs(r[3] - average), r[1]))
    count = min(len(rows), max(1, provinces or math.ceil(scale)))
    share = scale / count
    with_villages = set(AdminUnit.objects.filter(level__code="village").values_list("parent_id", flat=True))
    chosen_provinces = []
    for pid, code, name, _n in rows[:count]:
        communes = [c for c in AdminUnit.objects.filter(parent_id=pid, level__code="commune", valid_to__isnull=True)
                    .order_by("code").values_list("id", "code", "name", "path") if c[0] not in with_villages]
        if not communes:
            continue
        take = len(communes) if share >= 1 else max(1, round(len(communes) * share))
        density = len(communes) * min(share, 1.0) / take if share < 1 else share
        step = len(communes) / take
        chosen = [communes[int(i * step)] for i in range(take)]
        chosen_provinces.append(Province(pid, code, name, [Commune(*c, density=density) for c in chosen]))
    if not chosen_provinces:
        raise GenError(gettext("Mọi xã của các tỉnh đã chọn đều đã có thôn: không còn chỗ để sinh dữ liệu."))
    return chosen_provinces


class Generator:
    def __init__(self, *, scale: float, seed: int, year: int, bar: ProgressFactory,
                 provinces: int | None = None) -> None:
        self.scale, self.seed, self.year, self.bar = scale, seed, year, bar
        self.levels = levels_ensure()
        self.provinces = plan_provinces(scale, provinces)
        self.summary = GenSummary(scale=scale, seed=seed, provinces=len(self.provinces),
                                  communes=sum(len(p.communes) for p in self.provinces))
        self.first_day = dt.date(year, 1, 1)
        self.days = (dt.date(year + 1, 1, 1) - self.first_day).days
        self.tz = timezone.get_current_timezone()

    def run(self) -> GenSummary:
        started = time.perf_counter()
        for name, label, estimate, stage in self._stages():
            self._stage(name, label, estimate, stage)
        reset_sequences([AdminUnit, Household, Agency, Cadre, Assignment, Visit, VisitUnit, VisitHousehold,
                         Petition, PetitionHolding, PetitionEvent, Plan, Task, Campaign, CampaignEvent, EventCadre])
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _communes(self) -> Iterator[Commune]:
        for province in self.provinces:
            yield from province.communes

    def _density(self) -> float:
        return sum(c.density for c in self._communes())

    def _stages(self) -> list[tuple[str, str, int, Callable[[Province, Callable[[int], None]], dict[str, Table]]]]:
        d = self._density()
        return [
            ("villages", gettext("Thôn, bản"), round(d * VILLAGES_PER_COMMUNE), self.villages),
            ("households", gettext("Hộ gia đình"), round(d * VILLAGES_PER_COMMUNE * HOUSEHOLDS_PER_VILLAGE),
             self.households),
            ("agencies", gettext("Cơ quan, đơn vị"), 0, self.agencies),
            ("cadres", gettext("Cán bộ"), round(d * (CADRES_PER_COMMUNE + PROVINCE_CADRES_PER_COMMUNE)), self.cadres),
            ("assignments", gettext("Phân công theo dõi"),
             round(d * VILLAGES_PER_COMMUNE * HOUSEHOLDS_PER_VILLAGE * FOLLOWED_HOUSEHOLDS), self.assignments),
            ("visits", gettext("Đi cơ sở"),
             round(d * (CADRES_PER_COMMUNE + PROVINCE_CADRES_PER_COMMUNE) * VISITS_PER_CADRE), self.visits),
            ("petitions", gettext("Phản ánh, kiến nghị"), round(d * CONCERNS_PER_COMMUNE), self.petitions),
            ("plans", gettext("Kế hoạch và nhiệm vụ"),
             round(d * (CADRES_PER_COMMUNE + PROVINCE_CADRES_PER_COMMUNE) * PLANNED_SHARE * 4), self.plans),
            ("campaigns", gettext("Phong trào, đợt ra quân"), round(d and len(list(self._communes())) * 52),
             self.campaigns),
        ]

    def _stage(self, name: str, label: str, estimate: int, stage: Callable[..., dict[str, Table]]) -> None:
        started = time.perf_counter()
        totals: dict[str, int] = {}
        with self.bar(estimate or None, label) as bar:
            for province in self.provinces:
                with transaction.atomic():
                    tables = stage(province, bar.update)
                    counts = {key: table.close() for key, table in tables.items()}
                    audit.record(actor=None, action=f"gen.{name}", object_type="org.adminunit",
                                 object_id=str(province.id), province_id=province.id,
                                 after={"seed": self.seed, "scale": self.scale, **counts})
                for key, n in counts.items():
                    totals[key] = totals.get(key, 0) + n
        seconds = time.perf_counter() - started
        for key, n in totals.items():
            self.summary.tables[key] = (n, seconds if key == name else 0.0)

    # -- the tree and the people ----------------------------------------------------------------------
    def villages(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        level = self.levels["village"].pk
        table = Table(AdminUnit, ("code", "name", "name_folded", "division_type", "parent", "path"),
                      fixed={"level": level, "province": province.id, "depth": 2})
        for commune in province.communes:
            rng = _rng(self.seed, "villages", commune.code)
            region = names.HIGHLAND if rng.random() < 0.4 else names.MIDLAND
            count = _count(VILLAGES_PER_COMMUNE * commune.density, rng)
            for i, (vname, division) in enumerate(names.village_names(rng, region, count), 1):
                code = f"{commune.code}{i:03d}"
                vid = table.add(code, vname, fold(vname), division, commune.id, commune.path + PATH_SEP + code)
                commune.villages.append((vid, vname, 0, 0))
            tick(count)
        return {"villages": table}

    def households(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        table = Table(Household, ("village", "code", "head_name", "head_name_folded", "address", "phone",
                                  "members"), fixed={"province": province.id}, on_flush=tick)
        for commune in province.communes:
            rng = _rng(self.seed, "households", commune.code)
            mix = names.ETHNIC_MIX[names.HIGHLAND if rng.random() < 0.4 else names.MIDLAND]
            runs = []
            for vid, vname, _first, _n in commune.villages:
                count = _count(HOUSEHOLDS_PER_VILLAGE, rng)
                first = table.next_id
                address = f"{vname}, {commune.name}"
                for i in range(1, count + 1):
                    head = names.person_name(rng, names.pick_weighted(rng, mix), female=rng.random() < 0.18)
                    table.add(vid, f"H{vid}-{i:04d}", head, fold(head), address,
                              names.mobile_phone(rng) if rng.random() < 0.65 else "", rng.randint(1, 9))
                runs.append((vid, vname, first, count))
            commune.villages = runs
        return {"households": table}

    def agencies(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        table = Table(Agency, ("unit", "kind", "name", "name_folded", "fields"), fixed={"province": province.id})
        for kind, label in PROVINCE_AGENCIES:
            name = f"{label} {province.name}" if kind != AgencyKind.DEPARTMENT else f"{label} {province.name}"
            fields = [Field.INFRASTRUCTURE] if kind == AgencyKind.DEPARTMENT else []
            province.agencies.append(table.add(province.id, kind, name, fold(name), fields))
        for commune in province.communes:
            for kind, label in COMMUNE_AGENCIES:
                name = f"{label} {commune.name}"
                commune.agencies.append(table.add(commune.id, kind, name, fold(name), []))
        tick(table.next_id - table.first_id)
        return {"agencies": table}

    def cadres(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        table = Table(Cadre, ("code", "full_name", "name_folded", "birth_date", "employment_type", "position",
                              "agency", "unit", "is_party_member", "phone"),
                      fixed={"province": province.id}, on_flush=tick)
        born = dt.date(self.year - 60, 1, 1)

        def staff(rng: random.Random, unit_id: int, agencies: list[int], count: int) -> tuple[int, int]:
            first = table.next_id
            for _ in range(count):
                female = rng.random() < 0.45
                full = names.person_name(rng, names.pick_weighted(rng, names.CADRE_MIX), female=female)
                table.add(f"CB{table.next_id:08d}", full, fold(full), born + dt.timedelta(days=rng.randrange(14_000)),
                          _pick(rng, EMPLOYMENT_MIX), "Chuyên viên", rng.choice(agencies), unit_id,
                          rng.random() < 0.6, names.mobile_phone(rng))
            return first, count

        rng = _rng(self.seed, "cadres", province.code)
        density = sum(c.density for c in province.communes)
        province.cadres = staff(rng, province.id, province.agencies,
                                max(2, round(PROVINCE_CADRES_PER_COMMUNE * density)))
        for commune in province.communes:
            rng = _rng(self.seed, "cadres", commune.code)
            size = _count(CADRES_PER_COMMUNE * commune.density, rng, 2)
            commune.cadres = staff(rng, commune.id, commune.agencies, size)
        return {"cadres": table}

    def assignments(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        start = dt.date(self.year - 1, 7, 1)
        table = Table(Assignment, ("cadre", "unit", "household", "area"),
                      fixed={"province": province.id, "role": FollowerRole.PRIMARY, "start": start}, on_flush=tick)
        rng = _rng(self.seed, "assignments", province.code)
        pfirst, pcount = province.cadres
        for commune in province.communes:
            table.add(pfirst + rng.randrange(pcount), commune.id, None, commune.id)
            first, count = commune.cadres
            for vid, _name, hfirst, hcount in commune.villages:
                table.add(first + rng.randrange(count), vid, None, vid)
                for hid in range(hfirst, hfirst + hcount):
                    if rng.random() < FOLLOWED_HOUSEHOLDS:
                        table.add(first + rng.randrange(count), None, hid, vid)
        return {"assignments": table}

    # -- a year of work ---------------------------------------------------------------------------------
    def _day(self, rng: random.Random) -> dt.date:
        return self.first_day + dt.timedelta(days=rng.randrange(self.days))

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=self.tz)

    def visits(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        visits = Table(Visit, ("client_uuid", "cadre", "date", "kind", "notes", "delay_days", "recorded_at",
                               "body_hash"), fixed={"province": province.id, "findings": {}}, on_flush=tick)
        units = Table(VisitUnit, ("visit", "unit", "cadre", "date"), fixed={"province": province.id})
        households = Table(VisitHousehold, ("visit", "household", "cadre", "date"), fixed={"province": province.id})

        def visit(rng: random.Random, cadre: int, kind: str, unit: int, household: int | None) -> None:
            day = self._day(rng)
            delay = min(self.days, rng.choice((0, 0, 0, 1, 1, 2, 3, 7)))
            vid = visits.add(_uuid(rng), cadre, day, kind, "", delay, self._at(day + dt.timedelta(days=delay), 17),
                             hashlib.sha256(f"{cadre}:{day}:{unit}".encode()).hexdigest())
            units.add(vid, unit, cadre, day)
            if household is not None:
                households.add(vid, household, cadre, day)

        rng = _rng(self.seed, "visits", province.code)
        pfirst, pcount = province.cadres
        for cadre in range(pfirst, pfirst + pcount):
            for _ in range(_count(VISITS_PER_CADRE, rng, 0)):
                visit(rng, cadre, _pick(rng, COMMUNE_KINDS), rng.choice(province.communes).id, None)
        for commune in province.communes:
            rng = _rng(self.seed, "visits", commune.code)
            first, count = commune.cadres
            for cadre in range(first, first + count):
                for _ in range(_count(VISITS_PER_CADRE, rng, 0)):
                    vid, _name, hfirst, hcount = rng.choice(commune.villages)
                    kind = _pick(rng, VILLAGE_KINDS)
                    household = hfirst + rng.randrange(hcount) if kind == VisitKind.HOUSEHOLD_VISIT else None
                    visit(rng, cadre, kind, vid, household)
        return {"visits": visits, "visit_units": units, "visit_households": households}

    def petitions(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        petitions = Table(Petition, ("code", "unit", "household", "field", "text", "text_folded", "channel",
                                     "status", "holder_unit", "holder_agency", "received_at", "accept_due_at",
                                     "due_at", "accepted_at", "answered_at", "closed_at", "version"),
                          fixed={"province": province.id, "pin_hash": "!gen"}, on_flush=tick)
        holdings = Table(PetitionHolding, ("petition", "unit", "agency", "started_at", "accept_due_at", "due_at",
                                           "accepted_at", "ended_at", "outcome", "satisfied", "rated_by"),
                         fixed={"province": province.id})
        events = Table(PetitionEvent, ("petition", "at", "action", "from_status", "to_status", "to_unit",
                                       "to_agency"), fixed={"province": province.id})
        fields = [f for f in Field.values if f != Field.OTHER]
        sims = []
        for commune in province.communes:
            rng = _rng(self.seed, "petitions", commune.code)
            for _ in range(_count(CONCERNS_PER_COMMUNE * commune.density, rng, 0)):
                day = self._day(rng)
                sims.append((self._at(day, rng.randint(7, 16)) + dt.timedelta(minutes=rng.randrange(60)),
                             commune, rng.random(), rng.choice(fields), rng.choice(CONCERN_TEXTS),
                             rng.choice(commune.villages), rng.random()))
        sims.sort(key=lambda s: s[0])
        numbers: dict[dt.date, int] = {}
        for received, commune, fate, fld, text, village, rating in sims:
            day = timezone.localdate(received)
            numbers[day] = numbers.get(day, 0) + 1
            status = "closed" if fate < 0.7 else "answered" if fate < 0.8 else "accepted" if fate < 0.9 else "received"
            accept_due, due = received + dt.timedelta(days=1), received + dt.timedelta(days=10)
            accepted = received + dt.timedelta(hours=4) if status != "received" else None
            answered = received + dt.timedelta(days=3 + int(fate * 10)) if status in ("closed", "answered") else None
            closed = answered + dt.timedelta(days=2) if status == "closed" and answered else None
            agency = commune.agencies[1]
            vid, _vname, hfirst, hcount = village
            pid = petitions.add(tracking_code(day, province.code, numbers[day]), vid,
                                hfirst + int(rating * hcount) if hcount else None, fld, text, fold(text),
                                Channel.VISIT, status, commune.id, agency, received, accept_due, due, accepted,
                                answered, closed, 1 + (accepted is not None) + (answered is not None))
            satisfied = (rating < 0.8) if closed else None
            holdings.add(pid, commune.id, agency, received, accept_due, due, accepted, answered,
                         Outcome.ANSWERED if answered else "", satisfied, "citizen" if closed else "")
            events.add(pid, received, "receive", "", "received", commune.id, agency)
            if accepted:
                events.add(pid, accepted, "accept", "received", "accepted", commune.id, agency)
            if answered:
                events.add(pid, answered, "answer", "accepted", "answered", commune.id, agency)
            if closed:
                events.add(pid, closed, "rate_satisfied" if satisfied else "rate_unsatisfied", "answered", "closed",
                           commune.id, agency)
        return {"petitions": petitions, "petition_holdings": holdings, "petition_events": events}

    def plans(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        plans = Table(Plan, ("unit", "agency", "cadre", "starts_on", "ends_on"),
                      fixed={"province": province.id, "period": PeriodKind.QUARTER, "status": PlanStatus.APPROVED},
                      on_flush=tick)
        tasks = Table(Task, ("client_uuid", "plan", "owner", "title", "starts_on", "due_on", "status", "done_on"),
                      fixed={"province": province.id, "weight": 1})
        quarters = [(dt.date(self.year, m, 1), dt.date(self.year + (m == 10), (m + 3) % 12 or 12, 1)
                     - dt.timedelta(days=1)) for m in (1, 4, 7, 10)]
        groups = [(province.id, province.agencies, province.cadres)]
        groups += [(c.id, c.agencies, c.cadres) for c in province.communes]
        for unit_id, agencies, (first, count) in groups:
            rng = _rng(self.seed, "plans", str(unit_id))
            for cadre in range(first, first + count):
                if rng.random() >= PLANNED_SHARE:
                    continue
                agency = rng.choice(agencies)
                for starts, ends in quarters:
                    plan = plans.add(unit_id, agency, cadre, starts, ends)
                    for _ in range(TASKS_PER_PLAN):
                        due = starts + dt.timedelta(days=rng.randrange((ends - starts).days + 1))
                        done = rng.random() < 0.8
                        tasks.add(_uuid(rng), plan, cadre, rng.choice(TASK_TITLES), starts, due,
                                  TaskStatus.ACCEPTED if done else TaskStatus.OPEN,
                                  due - dt.timedelta(days=rng.randrange(5)) if done else None)
        return {"plans": plans, "tasks": tasks}

    def campaigns(self, province: Province, tick: Callable[[int], None]) -> dict[str, Table]:
        campaigns = Table(Campaign, ("name", "agency", "unit", "starts_on", "schedule"),
                          fixed={"province": province.id})
        events = Table(CampaignEvent, ("client_uuid", "campaign", "date", "unit", "recorded_unit", "agency",
                                       "cadre_participations", "citizens", "body_hash"),
                       fixed={"province": province.id}, on_flush=tick)
        present = Table(EventCadre, ("event", "cadre", "campaign", "date"), fixed={"province": province.id})
        name = "Thứ Năm hằng tuần xuống thôn, bản"
        campaign = campaigns.add(name, province.agencies[0], province.id, self.first_day, Schedule.THURSDAYS)
        thursday = self.first_day + dt.timedelta(days=(3 - self.first_day.weekday()) % 7)
        for commune in province.communes:
            rng = _rng(self.seed, "campaigns", commune.code)
            first, count = commune.cadres
            day = thursday
            while day.year == self.year:
                vid = rng.choice(commune.villages)[0]
                cadres = rng.sample(range(first, first + count), min(count, EVENT_CADRES))
                event = events.add(_uuid(rng), campaign, day, vid, commune.id, commune.agencies[2], len(cadres),
                                   rng.randint(10, 80), hashlib.sha256(f"{vid}:{day}".encode()).hexdigest())
                for cadre in cadres:
                    present.add(event, cadre, campaign, day)
                day += dt.timedelta(days=7)
        return {"campaigns": campaigns, "campaign_events": events, "event_cadres": present}


def generate(*, scale: float, seed: int, year: int = 2025, bar: ProgressFactory,
             provinces: int | None = None) -> GenSummary:
    """Write the data of `scale` provinces (see the module docstring); one transaction per province and table."""
    return Generator(scale=scale, seed=seed, year=year, bar=bar, provinces=provinces).run()
