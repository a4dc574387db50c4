"""Build the demo world inside one real province: villages, households, agencies, party cells, cadres.

Every random choice comes from a `random.Random` seeded with (seed, stage, unit code), so a seed
always gives the same names and codes, and a commune's data does not depend on which other
communes were built (`communes_limit` only drops communes). The whole build is one transaction
with one audit event per stage; a crash leaves nothing behind, and a province that already has
villages is left alone, so a second run costs a few counting queries.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gandan.core import audit
from gandan.core.bulk import bulk_insert
from gandan.core.paths import PATH_SEP
from gandan.core.text import fold
from gandan.demo import names
from gandan.demo.staffing import (
    AGES_BY_RANK,
    COMMUNE_AGENCIES,
    HEAD,
    PARTY_RATE,
    PROFILE_BY_KIND,
    PROVINCE_AGENCIES,
    AgencySpec,
    Post,
    allocate,
    commune_roster,
    province_roster,
)
from gandan.org.models import AdminUnit, Agency, Household, PartyCell
from gandan.org.services import levels_ensure
from gandan.people.models import Cadre

if TYPE_CHECKING:
    from gandan.core.audit import Actor

DEFAULT_SEED = 2025
DEFAULT_PROVINCE = "08"  # Tuyên Quang (with the former Hà Giang since 1 July 2025)
# The five communes of the former Quản Bạ district (Hà Giang), built first and staffed fully. That
# district counted 1,390 district-level and 282 commune-level cadres (Báo Hà Giang, 2021), about
# 1,700 in all; the demo keeps that total: 282 in the featured communes, 4 in each of the other
# 119 communes (476), and the rest (942) in the province agencies.
FEATURED_COMMUNES: dict[str, tuple[str, ...]] = {"08": ("00874", "00889", "00892", "00883", "00901")}
FEATURED_COMMUNE_CADRES = 282
PROVINCE_CADRES = 942
# Former Hà Giang communes of Tuyên Quang have codes below this: the highlands (Hmông, Dao, Tày).
HIGHLAND_BELOW: dict[str, int] = {"08": 2200}
AREA_CODES: dict[str, str] = {"08": "0207"}
VILLAGES_PER_COMMUNE = (5, 12)
HOUSEHOLDS_PER_VILLAGE = (80, 300)
MEMBERS_WEIGHTS = (5, 10, 15, 22, 20, 13, 8, 4, 3)  # 1 to 9 people
REFERENCE_DATE = dt.date(2025, 7, 1)  # ages are counted from here, not from today, to stay deterministic
BATCH = 2000

ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]


class DemoError(RuntimeError):
    pass


@dataclass
class DemoSummary:
    province: str
    created: bool
    villages: int = 0
    households: int = 0
    agencies: int = 0
    party_cells: int = 0
    cadres: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        return {k: data[k] for k in ("villages", "households", "agencies", "party_cells", "cadres")}


class _Quiet:
    def update(self, n: int = 1) -> None:
        pass


@contextmanager
def _quiet_bar(total: int | None, desc: str) -> Iterator[_Quiet]:
    yield _Quiet()


_fold = functools.lru_cache(maxsize=100_000)(fold)


def _rng(seed: int, stage: str, key: str) -> random.Random:
    return random.Random(f"{seed}:{stage}:{key}")


def _scaled(n: int, factor: float, cap: int | None = None) -> int:
    value = max(1, round(n * factor))
    return min(value, cap) if cap else value


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def province_of(code: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(level__code="province", code=code).first()


def demo_exists(province: AdminUnit) -> bool:
    return AdminUnit.objects.filter(province=province, level__code="village").exists()


def demo_counts(province: AdminUnit, *, created: bool = False) -> DemoSummary:
    return DemoSummary(
        province=province.name, created=created,
        villages=AdminUnit.objects.filter(province=province, level__code="village").count(),
        households=Household.objects.filter(province=province).count(),
        agencies=Agency.objects.filter(province=province).count(),
        party_cells=PartyCell.objects.filter(province=province).count(),
        cadres=Cadre.objects.filter(province=province).count(),
    )


def build_demo(*, seed: int = DEFAULT_SEED, province_code: str = DEFAULT_PROVINCE, scale: float = 1.0,
               communes_limit: int | None = None, progress: ProgressFactory | None = None,
               actor: Actor = None) -> DemoSummary:
    """Generate the demo data of one province whose communes are already loaded.

    `scale` multiplies the number of households: villages per commune and households per village
    each grow by √scale (villages are capped at 99 per commune by their 2-digit code). Cadres are
    not scaled: 942 in the province agencies, 282 in the featured communes, 4 in every other (1,700).
    Does nothing (and says so in `created`) when the province already has villages.
    """
    started = time.monotonic()
    province = province_of(province_code)
    if province is None:
        raise DemoError(gettext("Chưa có tỉnh mã %(code)s: hãy chạy `gandan load-units`") % {"code": province_code})
    if demo_exists(province):
        return demo_counts(province)
    bar = progress or _quiet_bar
    levels = levels_ensure()
    communes = _communes(province, communes_limit)
    if not communes:
        raise DemoError(gettext("Tỉnh %(name)s chưa có xã") % {"name": province.name})
    builder = _Builder(seed=seed, province=province, levels=levels, scale=scale, bar=bar, actor=actor)
    with transaction.atomic():
        builder.villages(communes)
        builder.households()
        builder.agencies(communes)
        builder.party_cells()
        builder.cadres(communes)
    summary = demo_counts(province, created=True)
    summary.stages = builder.timings
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _communes(province: AdminUnit, limit: int | None) -> list[AdminUnit]:
    """Current communes, the featured ones first (in their listed order), then by code."""
    featured = FEATURED_COMMUNES.get(province.code, ())
    rows = list(AdminUnit.objects.current().filter(province=province, level__code="commune"))
    rows.sort(key=lambda u: (featured.index(u.code) if u.code in featured else len(featured), u.code))
    return rows[:limit] if limit is not None else rows


class _Builder:
    """The stages of one build; each keeps what the later stages need."""

    def __init__(self, *, seed: int, province: AdminUnit, levels: dict, scale: float,
                 bar: ProgressFactory, actor: Actor) -> None:
        self.seed, self.province, self.levels, self.bar, self.actor = seed, province, levels, bar, actor
        self.root = max(scale, 0.0) ** 0.5
        self.code = province.code
        self.featured = FEATURED_COMMUNES.get(province.code, ())
        self.area_code = AREA_CODES.get(province.code, "0200")
        self.villages_of: dict[int, list[AdminUnit]] = {}
        self.commune_of: dict[int, AdminUnit] = {}
        self.province_agencies: list[tuple[AgencySpec, Agency]] = []
        self.commune_agencies: dict[int, list[Agency]] = {}
        self.cell_of_agency: dict[int, int] = {}
        self.timings: dict[str, float] = {}

    def _region(self, commune: AdminUnit) -> str:
        if commune.division_type.lower().startswith("phường"):
            return names.URBAN
        below = HIGHLAND_BELOW.get(self.code)
        highland = below and commune.code.isdigit() and int(commune.code) < below
        return names.HIGHLAND if highland else names.MIDLAND

    def _audit(self, stage: str, started: float, **counts: Any) -> None:
        self.timings[stage] = round(time.monotonic() - started, 2)
        audit.record(actor=self.actor, action=f"demo.{stage}", obj=self.province,
                     after={"seed": self.seed, **counts})

    # -- villages ---------------------------------------------------------------------------------
    def villages(self, communes: list[AdminUnit]) -> None:
        started = time.monotonic()
        level = self.levels["village"]
        rows: list[AdminUnit] = []
        with self.bar(len(communes), gettext("Thôn, bản")) as bar:
            for commune in communes:
                rng = _rng(self.seed, "villages", commune.code)
                count = _scaled(rng.randint(*VILLAGES_PER_COMMUNE), self.root, cap=99)
                pairs = names.village_names(rng, self._region(commune), count)
                for i, (name, division) in enumerate(pairs, 1):
                    code = f"{commune.code}{i:02d}"
                    rows.append(AdminUnit(
                        code=code, name=name, name_folded=_fold(name), division_type=division, level=level,
                        parent=commune, province=self.province, path=commune.path + PATH_SEP + code,
                        depth=commune.depth + 1))
                self.commune_of[commune.pk] = commune
                bar.update(1)
        self._place(communes, rows)
        AdminUnit.objects.bulk_create(rows, batch_size=BATCH)
        AdminUnit.objects.bulk_update(communes, ["latitude", "longitude"], batch_size=BATCH)
        for village in rows:
            self.villages_of.setdefault(village.parent_id, []).append(village)  # type: ignore[arg-type]  # a village's parent is set
        self._audit("villages", started, villages=len(rows), communes=len(communes))

    def _place(self, communes: list[AdminUnit], villages: list[AdminUnit]) -> None:
        """Plausible centres: highland communes in the north of the province, the others south;
        villages within about 3 km of their commune (a separate random stream, so names keep)."""
        centre: dict[int, tuple[float, float]] = {}
        for commune in communes:
            rng = _rng(self.seed, "geo", commune.code)
            north = self._region(commune) == names.HIGHLAND
            commune.latitude = round(rng.uniform(22.35, 23.25) if north else rng.uniform(21.6, 22.35), 6)
            commune.longitude = round(rng.uniform(104.6, 105.5), 6)
            centre[commune.pk] = (commune.latitude, commune.longitude)
        for village in villages:
            rng = _rng(self.seed, "geo", village.code)
            lat, lon = centre[village.parent_id]  # type: ignore[index]  # a village's parent is set
            village.latitude = round(lat + rng.uniform(-0.03, 0.03), 6)
            village.longitude = round(lon + rng.uniform(-0.03, 0.03), 6)

    # -- households -------------------------------------------------------------------------------
    def households(self) -> None:
        started = time.monotonic()
        plan: list[tuple[AdminUnit, AdminUnit, random.Random, int]] = []
        for commune_id, villages in self.villages_of.items():
            for village in villages:
                rng = _rng(self.seed, "households", village.code)
                plan.append((self.commune_of[commune_id], village, rng,
                             _scaled(rng.randint(*HOUSEHOLDS_PER_VILLAGE), self.root)))
        total = sum(n for *_, n in plan)
        members = range(1, len(MEMBERS_WEIGHTS) + 1)
        members_cumulative = list(itertools.accumulate(MEMBERS_WEIGHTS))
        now = timezone.now()
        columns = ("province", "village", "code", "head_name", "head_name_folded", "address", "phone",
                   "members", "created_at", "updated_at")
        buffer: list[tuple[Any, ...]] = []
        with self.bar(total, gettext("Hộ gia đình")) as bar:
            for commune, village, rng, count in plan:
                mix = names.ETHNIC_MIX[self._region(commune)]
                address = f"{village.name}, {commune.name}"
                width = max(4, len(str(count)))
                ids = (self.province.pk, village.pk)
                for i in range(1, count + 1):
                    head = names.person_name(rng, names.pick_weighted(rng, mix), female=rng.random() < 0.18)
                    buffer.append((
                        *ids, f"{village.code}-{i:0{width}d}", head, _fold(head),
                        address,
                        names.mobile_phone(rng) if rng.random() < 0.65 else "",
                        rng.choices(members, cum_weights=members_cumulative)[0], now, now))
                if len(buffer) >= 10 * BATCH:
                    bulk_insert(Household, columns, buffer)
                    bar.update(len(buffer))
                    buffer = []
            bulk_insert(Household, columns, buffer)
            bar.update(len(buffer))
        self._audit("households", started, households=total)

    # -- agencies ---------------------------------------------------------------------------------
    def agencies(self, communes: list[AdminUnit]) -> None:
        started = time.monotonic()
        rng = _rng(self.seed, "agencies", self.code)
        province_name = self.province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
        place = f"{self.province.division_type or 'tỉnh'} {province_name}"
        rows: list[Agency] = []
        for spec in PROVINCE_AGENCIES:
            agency = self._agency(self.province, spec, spec.name.format(place=place, name=province_name), rng)
            self.province_agencies.append((spec, agency))
            rows.append(agency)
        for commune in communes:
            place = _lower_first(commune.name)
            agencies = [self._agency(commune, spec, spec.name.format(place=place), rng)
                        for spec in COMMUNE_AGENCIES]
            self.commune_agencies[commune.pk] = agencies
            rows += agencies
        with self.bar(len(rows), gettext("Cơ quan")) as bar:
            Agency.objects.bulk_create(rows, batch_size=BATCH)
            bar.update(len(rows))
        self._audit("agencies", started, agencies=len(rows))

    def _agency(self, unit: AdminUnit, spec: AgencySpec, name: str, rng: random.Random) -> Agency:
        return Agency(province=self.province, unit=unit, kind=spec.kind, name=name, name_folded=_fold(name),
                      fields=[str(f) for f in spec.fields], phone=names.office_phone(rng, self.area_code))

    # -- party cells ------------------------------------------------------------------------------
    def party_cells(self) -> None:
        started = time.monotonic()
        agencies = [a for _, a in self.province_agencies] + [
            a for rows in self.commune_agencies.values() for a in rows]
        rows = [PartyCell(province=self.province, name=f"Chi bộ {a.name}", agency=a, unit_id=a.unit_id)
                for a in agencies]
        village_cells = [PartyCell(province=self.province, name=f"Chi bộ {_lower_first(v.name)}", unit=v)
                         for villages in self.villages_of.values() for v in villages]
        with self.bar(len(rows) + len(village_cells), gettext("Chi bộ")) as bar:
            PartyCell.objects.bulk_create(rows + village_cells, batch_size=BATCH)
            bar.update(len(rows) + len(village_cells))
        self.cell_of_agency = {cell.agency_id: cell.pk for cell in rows}  # type: ignore[misc]  # agency cells have their agency
        self._audit("party_cells", started, agency_cells=len(rows), village_cells=len(village_cells))

    # -- cadres -----------------------------------------------------------------------------------
    def cadres(self, communes: list[AdminUnit]) -> None:
        started = time.monotonic()
        teams: list[tuple[Agency, list[Post], random.Random, list[AdminUnit]]] = []
        sizes = allocate(PROVINCE_CADRES, [spec.weight for spec, _ in self.province_agencies])
        towns = [v for c in communes if self._region(c) == names.URBAN
                 for v in self.villages_of.get(c.pk, [])]
        everywhere = [v for villages in self.villages_of.values() for v in villages]
        for (spec, agency), size in zip(self.province_agencies, sizes, strict=True):
            rng = _rng(self.seed, "cadres", f"{self.code}:{agency.name}")
            teams.append((agency, province_roster(rng, spec, size), rng, towns or everywhere))
        featured = [c for c in communes if c.code in self.featured]
        featured_total = FEATURED_COMMUNE_CADRES * len(featured) // max(len(self.featured), 1)
        featured_sizes = dict(zip([c.pk for c in featured], allocate(featured_total, [1] * len(featured)),
                                  strict=True))
        for commune in communes:
            rng = _rng(self.seed, "cadres", commune.code)
            kind = _lower_first(commune.division_type or "xã")
            roster = commune_roster(rng, kind, featured_sizes.get(commune.pk))
            for index, agency in enumerate(self.commune_agencies[commune.pk]):
                if roster[index]:
                    teams.append((agency, roster[index], rng, self.villages_of.get(commune.pk, [])))
        total = sum(len(posts) for _, posts, _, _ in teams)
        heads: list[Cadre] = []
        staff: list[tuple[Cadre, Cadre | None]] = []  # (cadre, the head of its agency)
        numbers: dict[int, int] = {}  # running staff number per unit
        with self.bar(total, gettext("Cán bộ")) as bar:
            for agency, posts, rng, homes in teams:
                at_province = agency.unit_id == self.province.pk
                unit_code = self.code if at_province else self.commune_of[agency.unit_id].code
                mix = names.CADRE_MIX if at_province else \
                    names.ETHNIC_MIX[self._region(self.commune_of[agency.unit_id])]
                head: Cadre | None = None
                for post in posts:
                    numbers[agency.unit_id] = numbers.get(agency.unit_id, 0) + 1
                    cadre = self._cadre(agency, post, rng, mix, homes,
                                        code=f"CB-{unit_code}-{numbers[agency.unit_id]:04d}")
                    if post.rank == HEAD:
                        head = cadre
                        heads.append(cadre)
                    else:
                        staff.append((cadre, head))
            Cadre.objects.bulk_create(heads, batch_size=BATCH)
            bar.update(len(heads))
            for cadre, manager in staff:
                cadre.manager = manager
            Cadre.objects.bulk_create([c for c, _ in staff], batch_size=BATCH)
            bar.update(len(staff))
        members = sum(c.is_party_member for c in heads) + sum(c.is_party_member for c, _ in staff)
        self._audit("cadres", started, cadres=total, party_members=members)

    def _cadre(self, agency: Agency, post: Post, rng: random.Random, mix: tuple[tuple[str, int], ...],
               homes: list[AdminUnit], *, code: str) -> Cadre:
        low, high, female = PROFILE_BY_KIND.get(agency.kind, (*AGES_BY_RANK[post.rank], None))
        if female is None:
            female = rng.random() < (0.3 if post.rank == HEAD else 0.45)
        full_name = names.person_name(rng, names.pick_weighted(rng, mix), female=female)
        birth = REFERENCE_DATE - dt.timedelta(days=rng.randint(low * 365, high * 365))
        is_member = rng.random() < PARTY_RATE[post.employment_type]
        return Cadre(
            province=self.province, code=code, full_name=full_name, name_folded=_fold(full_name),
            birth_date=birth, employment_type=post.employment_type, position=post.position, agency=agency,
            unit_id=agency.unit_id, is_party_member=is_member,
            party_cell_id=self.cell_of_agency.get(agency.pk) if is_member else None,
            office_phone=agency.phone, phone=names.mobile_phone(rng) if rng.random() < 0.92 else "",
            home_unit=rng.choice(homes) if homes else None)
