"""Demo assignments on the demo province (run by `gandan demo`, see gandan/demo/run.py).

The two-tier default rules; province cadres follow communes (a primary for most, a supporting
follower for some), commune cadres follow villages (preferring a village they live in) and some
households. Realistic gaps are left on purpose: about one commune in ten and one village in six
have no primary follower, most households have none, and a few cadres carry more than the cap.
Some villages keep an earlier, ended primary follower as history. Deterministic for a seed; one
bulk insert per stage and one audit event per stage; does nothing when the province already has
assignments.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from gandan.assignments.models import Assignment, FollowerRole
from gandan.assignments.services import rules_ensure_default
from gandan.core import audit
from gandan.core.bulk import insert_objects
from gandan.org.models import AdminUnit, AgencyKind, Household
from gandan.people.models import Cadre

REFORM = dt.date(2025, 7, 1)
HISTORY_START = dt.date(2024, 1, 1)
COMMUNE_GAP = 0.1  # share of communes left without a primary follower
VILLAGE_GAP = 0.16
PROVINCE_POOL = 150  # province cadres who follow communes
OVERLOADED_PROVINCE = 3  # of them, this many follow four communes (the cap is two)
HOUSEHOLDS_PER_CADRE = (6, 16)
OVERLOADED_HOUSEHOLDS = (45, 60)  # above the default cap of 40
OVERLOADED_SHARE = 0.04  # commune cadres given more households than the cap
FULL_STAFF = 20  # a commune with this many cadres is one of the fully staffed (featured) ones
# The demo's commune cadre login (canbo.nghiathuan) is the first of these by code; it always gets
# a village and households, so that "my units" shows something.
PERSONA = ("00889", AgencyKind.PEOPLES_COMMITTEE, "Công chức Địa chính - Xây dựng")

ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]


def _commune_codes(province: AdminUnit) -> dict[int, str]:
    """Commune id → official code: random streams are keyed by codes, which do not depend on the database."""
    return dict(AdminUnit.objects.filter(province=province, level__code="commune").values_list("id", "code"))


def _rng(seed: int, stage: str, key: str = "") -> random.Random:
    return random.Random(f"{seed}:assignments:{stage}:{key}")


def _start(rng: random.Random) -> dt.date:
    return REFORM + dt.timedelta(days=rng.randint(0, 90))


class _Plan:
    """The rows to insert, with one open primary per target guaranteed by construction."""

    def __init__(self, province: AdminUnit) -> None:
        self.province = province
        self.rows: list[Assignment] = []
        self.primary: set[tuple[str, int | None]] = set()

    def add(self, cadre_id: int, *, unit: int | None = None, household: int | None = None, area: int,
            role: str = FollowerRole.PRIMARY, start: dt.date, end: dt.date | None = None) -> None:
        key = ("u", unit) if unit else ("h", household)
        if role == FollowerRole.PRIMARY and end is None:
            if key in self.primary:
                return
            self.primary.add(key)
        self.rows.append(Assignment(province_id=self.province.pk, cadre_id=cadre_id, unit_id=unit,
                                    household_id=household, area_id=area, role=role, start=start, end=end))


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory) -> dict[str, int]:
    if Assignment.objects.filter(province=province).exists():
        return {}
    rules_ensure_default(actor=None, province=province)
    communes = list(AdminUnit.objects.current().filter(province=province, level__code="commune")
                    .order_by("code").values_list("id", "code"))
    if not communes:
        return {}
    counts: dict[str, int] = {}
    with progress(3, gettext("Phân công địa bàn")) as bar:
        counts[gettext("phân công theo dõi xã")] = _communes(province, seed, communes)
        bar.update(1)
        villages, ended = _villages(province, seed)
        counts[gettext("phân công theo dõi thôn")] = villages
        counts[gettext("đã kết thúc (lịch sử)")] = ended
        bar.update(1)
        counts[gettext("phân công theo dõi hộ")] = _households(province, seed)
        bar.update(1)
    return counts


def _save(province: AdminUnit, plan: _Plan, stage: str, started: float, **about: Any) -> int:
    insert_objects(Assignment, plan.rows)  # the database's bulk path: COPY on PostgreSQL
    audit.record(actor=None, action=f"demo.assignments_{stage}", obj=province,
                 after={"rows": len(plan.rows), "seconds": round(time.monotonic() - started, 2), **about})
    return len(plan.rows)


def _communes(province: AdminUnit, seed: int, communes: list[tuple[int, str]]) -> int:
    """Province cadres → communes: a pool shares the communes, one or two each, a few carry four."""
    started = time.monotonic()
    rng = _rng(seed, "communes")
    staff = list(Cadre.objects.active().filter(unit=province).order_by("code").values_list("id", flat=True))
    if not staff:
        return 0
    pool = rng.sample(staff, min(PROVINCE_POOL, len(staff)))
    heavy = pool[:OVERLOADED_PROVINCE]
    queue = [c for c in heavy for _ in range(4)] + pool[OVERLOADED_PROVINCE:] * 2
    plan = _Plan(province)
    for index, (commune_id, _code) in enumerate(communes):
        pick = queue[index % len(queue)]
        if rng.random() >= COMMUNE_GAP:
            plan.add(pick, unit=commune_id, area=commune_id, start=_start(rng))
        if rng.random() < 0.4:
            helper = rng.choice(pool)
            if helper != pick:
                plan.add(helper, unit=commune_id, area=commune_id, role=FollowerRole.SUPPORTING, start=_start(rng))
    return _save(province, plan, "communes", started)


def _commune_cadres(province: AdminUnit) -> dict[int, list[tuple[int, int | None]]]:
    """Active cadres of each commune's agencies: commune id → [(cadre id, home unit id)], by code."""
    found: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    rows = (Cadre.objects.active().filter(province=province, unit__level__code="commune")
            .order_by("unit_id", "code").values_list("unit_id", "id", "home_unit_id"))
    for unit_id, cadre_id, home in rows:
        found[unit_id].append((cadre_id, home))
    return found


def _persona(province: AdminUnit) -> int | None:
    code, kind, position = PERSONA
    return (Cadre.objects.filter(province=province, agency__unit__code=code, agency__kind=kind,
                                 position__startswith=position).order_by("code").values_list("id", flat=True).first())


def _villages(province: AdminUnit, seed: int) -> tuple[int, int]:
    """Commune cadres → villages: a resident first, else in turn; a few villages keep history."""
    started = time.monotonic()
    cadres = _commune_cadres(province)
    persona = _persona(province)
    villages: dict[int, list[int]] = defaultdict(list)
    for village_id, commune_id in (AdminUnit.objects.current().filter(province=province, level__code="village")
                                   .order_by("code").values_list("id", "parent_id")):
        villages[commune_id].append(village_id)
    plan = _Plan(province)
    ended = 0
    codes = _commune_codes(province)
    for commune_id in sorted(villages):
        staff = cadres.get(commune_id, [])
        if not staff:
            continue
        rng = _rng(seed, "villages", codes[commune_id])
        residents = defaultdict(list)
        for cadre_id, home in staff:
            if home:
                residents[home].append(cadre_id)
        turn = [c for c, _ in staff]
        rng.shuffle(turn)
        if persona in turn:  # the persona leads the turn: it always follows a village
            turn.remove(persona)
            turn.insert(0, persona)
        for index, village_id in enumerate(villages[commune_id]):
            if index and rng.random() < VILLAGE_GAP:
                continue
            local = residents.get(village_id)
            pick = rng.choice(local) if local and index else turn[index % len(turn)]
            start = _start(rng)
            if (rng.random() < 0.1 or index == 1) and len(turn) > 1:  # every commune shows some history
                before = turn[(index + 1) % len(turn)]
                plan.add(before, unit=village_id, area=village_id, start=HISTORY_START, end=start)
                ended += 1
            plan.add(pick, unit=village_id, area=village_id, start=start)
            if rng.random() < 0.25:
                helper = rng.choice(turn)
                if helper != pick:
                    plan.add(helper, unit=village_id, area=village_id, role=FollowerRole.SUPPORTING, start=start)
    return _save(province, plan, "villages", started, ended=ended), ended


def _households(province: AdminUnit, seed: int) -> int:
    """Commune cadres → households of the villages they live in or follow; a few carry too many."""
    started = time.monotonic()
    cadres = _commune_cadres(province)
    followed: dict[int, list[int]] = defaultdict(list)  # cadre → villages it follows (from the stage above)
    for cadre_id, village_id in (Assignment.objects.filter(province=province, unit__level__code="village",
                                                           end__isnull=True).values_list("cadre_id", "unit_id")):
        followed[cadre_id].append(village_id)
    by_village: dict[int, list[int]] = defaultdict(list)
    for household_id, village_id in Household.objects.filter(province=province).order_by("id").values_list(
            "id", "village_id"):
        by_village[village_id].append(household_id)
    commune_of = dict(AdminUnit.objects.filter(Q(province=province) & Q(level__code="village"))
                      .values_list("id", "parent_id"))
    villages_of: dict[int, list[int]] = defaultdict(list)
    for village_id, commune_id in commune_of.items():
        villages_of[commune_id].append(village_id)
    plan = _Plan(province)
    owner: dict[int, int] = {}  # household → its primary follower
    codes = _commune_codes(province)
    for commune_id in sorted(cadres):
        rng = _rng(seed, "households", codes[commune_id])
        staff = cadres[commune_id]
        for index, (cadre_id, home) in enumerate(staff):
            places = [v for v in [home, *followed.get(cadre_id, [])] if v in by_village and commune_of.get(v) ==
                      commune_id] or sorted(v for v in villages_of.get(commune_id, []) if v in by_village)
            if not places:
                continue
            # A few overloaded cadres: by chance, and always the first of a fully staffed commune.
            heavy = rng.random() < OVERLOADED_SHARE or (index == 0 and len(staff) >= FULL_STAFF)
            low, high = OVERLOADED_HOUSEHOLDS if heavy else HOUSEHOLDS_PER_CADRE
            want = rng.randint(low, high)
            village = max(places, key=lambda v: len(by_village[v])) if heavy else rng.choice(places)
            pool = [h for h in by_village[village] if h not in owner]
            for household_id in pool[:want]:
                owner[household_id] = cadre_id
                plan.add(cadre_id, household=household_id, area=village, start=_start(rng))
            for household_id in rng.sample(by_village[village], min(2, len(by_village[village]))):
                if owner.get(household_id) not in (None, cadre_id):
                    plan.add(cadre_id, household=household_id, area=village, role=FollowerRole.SUPPORTING,
                             start=_start(rng))
    return _save(province, plan, "households", started)
