"""Six months of plausible field work in the demo province (run by `gandan demo`, after assignments).

Commune cadres go down to a village of their commune on most Thursdays (the weekly field day)
and visit a few households each month; province cadres make working visits to the communes they
follow. Committee and party-cell meetings of the five featured communes are held monthly, with
attendance of the units' followers. A few visits are flagged on purpose (a GPS position far away,
a late recording, one cadre with too many visits in a day) and a few carry concerns heard.
Everything is drawn from random.Random(f"{seed}:fieldwork:…"), relative to `today`'s month, and
written through the bulk path; a province that already has visits is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from gandan.assignments.models import Assignment
from gandan.core import audit
from gandan.core.bulk import bulk_insert
from gandan.demo.build import FEATURED_COMMUNES
from gandan.fieldwork import setting_services
from gandan.fieldwork.defaults import DEFAULT_TOPICS
from gandan.fieldwork.flags import nearest_distance_m
from gandan.fieldwork.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Visit,
    VisitHousehold,
    VisitKind,
    VisitUnit,
)
from gandan.fieldwork.sync import body_hash, normalise_body
from gandan.org.models import AdminUnit, AgencyKind, Household, PartyCell
from gandan.people.models import Cadre
from gandan.petitions.services import petition_receive

MONTHS = 6
BATCH = 5000

ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]

FINDINGS: dict[str, tuple[str, ...]] = {
    "security": ("Ổn định, không có vụ việc phức tạp.", "Có tranh chấp ranh giới đất giữa hai hộ, đã hòa giải.",
                 "Tổ an ninh thôn tuần tra đều đặn.", "Có người lạ vào thôn mua gia súc, đã nhắc bà con cảnh giác."),
    "living": ("Đời sống cơ bản ổn định.", "Một số hộ thiếu nước sinh hoạt vào mùa khô.",
               "Còn hộ nghèo cần hỗ trợ sửa nhà.", "Nhiều lao động trẻ đi làm ăn xa."),
    "production": ("Bà con đang thu hoạch ngô.", "Lúa vụ mùa phát triển tốt.", "Đàn trâu bò khỏe, đã tiêm phòng.",
                   "Mô hình trồng chè shan tuyết cho thu nhập khá.", "Một số diện tích bị sâu bệnh."),
    "opinion": ("Nhân dân phấn khởi, tin tưởng.", "Bà con mong sớm có đường bê tông vào thôn.",
                "Có ý kiến về việc bình xét hộ nghèo chưa công khai."),
    "policy": ("Đã phổ biến chính sách hỗ trợ nhà ở.", "Tuyên truyền về bảo hiểm y tế hộ gia đình.",
               "Hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất."),
    "infrastructure": ("Đường vào thôn sạt lở một đoạn sau mưa.", "Cùng dân sửa 300 m đường liên thôn.",
                       "Nhà văn hóa thôn xuống cấp.", "Đã làm xong rãnh thoát nước."),
    "organisations": ("Chi bộ sinh hoạt đúng kỳ.", "Chi hội phụ nữ hoạt động tích cực.",
                      "Đoàn thanh niên ra quân vệ sinh đường làng."),
}
NOTES = ("", "", "", "Họp dân tại nhà văn hóa thôn.", "Cùng trưởng thôn đi kiểm tra thực tế.",
         "Làm việc với chi ủy, ban công tác mặt trận thôn.", "Cùng bà con làm đường, phát quang.")
CONCERNS = (("Đề nghị sửa đoạn đường bị sạt lở vào thôn trước mùa mưa.", "infrastructure"),
            ("Xin hỗ trợ bể chứa nước sinh hoạt cho các hộ ở trên đồi.", "social_policy"),
            ("Hỏi về thời hạn cấp giấy chứng nhận quyền sử dụng đất.", "land"),
            ("Đề nghị có cán bộ y tế khám định kỳ cho người già trong thôn.", "health"),
            ("Phản ánh khói từ lò đốt rác gần khu dân cư.", "environment"))


def _rng(seed: int, *key: Any) -> random.Random:
    return random.Random(":".join([str(seed), "fieldwork", *map(str, key)]))


def _months(today: dt.date) -> tuple[dt.date, dt.date]:
    """First day of the month MONTHS-1 months before today's, and today."""
    first = today.replace(day=1)
    for _ in range(MONTHS - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, today


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


class _Builder:
    def __init__(self, province: AdminUnit, seed: int, today: dt.date) -> None:
        self.province, self.seed, self.today = province, seed, today
        self.start, self.end = _months(today)
        self.visits: list[dict[str, Any]] = []
        self.villages_of: dict[int, list[tuple[int, float | None, float | None]]] = {}
        self.centre: dict[int, tuple[float | None, float | None]] = {}
        for pk, parent, level, lat, lon in AdminUnit.objects.filter(province=province).current().values_list(
                "pk", "parent_id", "level__code", "latitude", "longitude"):
            self.centre[pk] = (lat, lon)
            if level == "village":
                self.villages_of.setdefault(parent, []).append((pk, lat, lon))
        self.households_of: dict[int, list[int]] = {}
        self.household_village: dict[int, int] = {}
        for pk, village in Household.objects.filter(province=province).order_by("id").values_list("pk", "village_id"):
            self.households_of.setdefault(village, []).append(pk)
            self.household_village[pk] = village
        self.cadres = list(Cadre.objects.filter(province=province, left_on__isnull=True)
                           .values_list("pk", "code", "unit_id", "unit__level__code", "home_unit_id")
                           .order_by("code"))
        self.followed = self._followed()

    def _followed(self) -> dict[int, tuple[list[int], list[int]]]:
        """Per cadre: the units and households they follow (assignments), read in one query."""
        found: dict[int, tuple[list[int], list[int]]] = {}
        rows = Assignment.objects.active(self.today).filter(province=self.province).order_by("id")
        for cadre_id, unit_id, household_id in rows.values_list("cadre_id", "unit_id", "household_id"):
            units, households = found.setdefault(cadre_id, ([], []))
            if unit_id:
                units.append(unit_id)
            if household_id:
                households.append(household_id)
        return found

    # -- visits ---------------------------------------------------------------------------------
    def _add(self, rng: random.Random, cadre_id: int, day: dt.date, kind: str, units: list[int],
             households: Sequence[int] = (), *, far: bool = False, late: int | None = None) -> dict[str, Any]:
        topics = rng.sample(list(FINDINGS), k=rng.randint(1, 3))
        findings = {t: rng.choice(FINDINGS[t]) for t in topics}
        notes = rng.choice(NOTES)
        villages = [self.household_village[h] for h in households]
        centres = [self.centre.get(u, (None, None)) for u in units + villages]
        lat = lon = acc = None
        known = [c for c in centres if c[0] is not None]
        if known and rng.random() < 0.7:
            clat, clon = known[0]
            if far:
                lat, lon = clat + rng.choice((-1, 1)) * rng.uniform(0.2, 0.5), clon + rng.uniform(-0.2, 0.2)  # type: ignore[operator]  # known centres
            else:
                lat, lon = clat + rng.uniform(-0.008, 0.008), clon + rng.uniform(-0.008, 0.008)  # type: ignore[operator]  # known centres
            lat, lon, acc = round(lat, 6), round(lon, 6), float(rng.choice((5, 8, 12, 20, 35, 60)))
        delay = late if late is not None else rng.choices((0, 0, 0, 1, 2, 3), k=1)[0]
        recorded_day = min(day + dt.timedelta(days=delay), self.today)
        hour = rng.randint(16, 21)
        recorded_at = timezone.make_aware(dt.datetime.combine(recorded_day, dt.time(hour, rng.randint(0, 59))))
        row = {"cadre": cadre_id, "date": day, "kind": kind, "units": sorted(set(units)),
               "households": list(households), "villages": villages, "findings": findings, "notes": notes,
               "lat": lat, "lon": lon, "acc": acc,
               "distance": nearest_distance_m(lat, lon, centres), "delay": (recorded_day - day).days,
               "recorded_at": recorded_at, "uuid": uuid.UUID(int=rng.getrandbits(128), version=4)}
        self.visits.append(row)
        return row

    def commune_cadres(self) -> None:
        for pk, code, unit_id, level, home in self.cadres:
            if level != "commune":
                continue
            villages = self.villages_of.get(unit_id, [])
            if not villages:
                continue
            rng = _rng(self.seed, "commune", code)
            followed_units, followed_households = self.followed.get(pk, ([], []))
            own = [v for v, *_ in villages]
            places = [u for u in followed_units if u in self.centre] or own
            keen = rng.uniform(0.55, 0.98)
            day: dt.date | None
            for day in _days(self.start, self.end):
                if day.weekday() == 3 and rng.random() < keen:  # Thursday: field day
                    village = home if home in own and rng.random() < 0.3 else rng.choice(places)
                    self._add(rng, pk, day, VisitKind.FIELD_DAY, [village])
            for month_start in self._month_starts():
                for _ in range(rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 1))[0]):
                    day = self._workday(rng, month_start)
                    if day is None:
                        continue
                    if followed_households:
                        households = rng.sample(followed_households, k=min(len(followed_households), rng.randint(1, 2)))
                    else:
                        village = rng.choice(own)
                        pool = self.households_of.get(village, [])
                        if not pool:
                            continue
                        households = rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))
                    self._add(rng, pk, day, VisitKind.HOUSEHOLD_VISIT, [], households)
                if rng.random() < 0.4:
                    day = self._workday(rng, month_start)
                    if day is not None:
                        self._add(rng, pk, day, VisitKind.WORKING_VISIT, [rng.choice(places)])

    def province_cadres(self) -> None:
        communes = sorted(c for c in self.villages_of)
        for pk, code, _unit_id, level, _home in self.cadres:
            if level != "province":
                continue
            rng = _rng(self.seed, "province", code)
            followed = [u for u in self.followed.get(pk, ([], []))[0] if u in self.centre]
            if not followed:
                if self.followed or rng.random() > 0.3 or not communes:
                    continue
                followed = rng.sample(communes, k=min(len(communes), rng.randint(1, 2)))
            for month_start in self._month_starts():
                for _ in range(rng.choices((0, 1, 2, 3), weights=(1, 4, 3, 1))[0]):
                    day = self._workday(rng, month_start)
                    if day is None:
                        continue
                    commune = rng.choice(followed)
                    units = [commune]
                    if rng.random() < 0.4 and self.villages_of.get(commune):
                        units.append(rng.choice(self.villages_of[commune])[0])
                    kind = rng.choices((VisitKind.WORKING_VISIT, VisitKind.COMMITTEE_MEETING, VisitKind.OTHER),
                                       weights=(7, 2, 1))[0]
                    self._add(rng, pk, day, kind, units)

    def anomalies(self) -> int:
        """A few visits to review: GPS far away, recorded late, and one cadre's implausible day."""
        rng = _rng(self.seed, "anomalies")
        commune_cadres = [c for c in self.cadres if c[3] == "commune" and self.villages_of.get(c[2])]
        if not commune_cadres:
            return 0
        made = 0
        for _ in range(6):
            pk, _code, unit_id, *_ = rng.choice(commune_cadres)
            day = self._workday(rng, rng.choice(self._month_starts()))
            if day is not None:
                self._add(rng, pk, day, VisitKind.WORKING_VISIT, [rng.choice(self.villages_of[unit_id])[0]], far=True)
                made += 1
        for _ in range(6):
            pk, _code, unit_id, *_ = rng.choice(commune_cadres)
            day = self._workday(rng, self._month_starts()[-2])
            if day is not None:
                self._add(rng, pk, day, VisitKind.WORKING_VISIT, [rng.choice(self.villages_of[unit_id])[0]],
                          late=rng.randint(9, 20))
                made += 1
        pk, _code, unit_id, *_ = rng.choice(commune_cadres)
        day = self._workday(rng, self._month_starts()[-1]) or self.today
        for _ in range(10):
            village = rng.choice(self.villages_of[unit_id])[0]
            pool = self.households_of.get(village, [])
            if pool:
                self._add(rng, pk, day, VisitKind.HOUSEHOLD_VISIT, [], [rng.choice(pool)])
            else:
                self._add(rng, pk, day, VisitKind.WORKING_VISIT, [village])
            made += 1
        return made

    def _month_starts(self) -> list[dt.date]:
        starts, day = [], self.start
        while day <= self.end:
            starts.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return starts

    def _workday(self, rng: random.Random, month_start: dt.date) -> dt.date | None:
        last = min((month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1),
                   self.today)
        days = [d for d in _days(month_start, last) if d.weekday() < 5 and d.weekday() != 3]
        return rng.choice(days) if days else None

    def write_visits(self, bar: Any) -> int:
        uuid_field = Visit._meta.get_field("client_uuid")
        fields = ("province", "client_uuid", "cadre", "date", "kind", "findings", "notes", "latitude", "longitude",
                  "accuracy_m", "gps_distance_m", "delay_days", "recorded_at", "recorded_by", "body_hash",
                  "updated_at")
        rows = []
        for v in self.visits:
            digest = body_hash(normalise_body(
                cadre_id=v["cadre"], date=v["date"], kind=v["kind"],
                unit_ids=v["units"],
                household_ids=v["households"], findings=v["findings"], notes=v["notes"], latitude=v["lat"],
                longitude=v["lon"], accuracy_m=v["acc"]))
            rows.append((self.province.pk, uuid_field.get_db_prep_value(v["uuid"], connection), v["cadre"], v["date"],
                         v["kind"], json.dumps(v["findings"], ensure_ascii=False), v["notes"], v["lat"], v["lon"],
                         v["acc"], v["distance"], v["delay"], v["recorded_at"], None, digest, v["recorded_at"]))
        for start in range(0, len(rows), BATCH):
            bulk_insert(Visit, fields, rows[start:start + BATCH])
            bar.update(len(rows[start:start + BATCH]))
        ids = {str(u).replace("-", ""): pk for u, pk in
               Visit.objects.filter(province=self.province).values_list("client_uuid", "pk")}
        unit_rows, household_rows = [], []
        for v in self.visits:
            visit_id = ids[v["uuid"].hex]
            for unit in dict.fromkeys(v["units"] + v["villages"]):
                unit_rows.append((self.province.pk, visit_id, unit, v["cadre"], v["date"]))
            for household in v["households"]:
                household_rows.append((self.province.pk, visit_id, household, v["cadre"], v["date"]))
        link = ("province", "visit", "unit", "cadre", "date")
        for start in range(0, len(unit_rows), BATCH):
            bulk_insert(VisitUnit, link, unit_rows[start:start + BATCH])
        for start in range(0, len(household_rows), BATCH):
            bulk_insert(VisitHousehold, ("province", "visit", "household", "cadre", "date"),
                        household_rows[start:start + BATCH])
        self.visit_ids = ids
        return len(rows)

    # -- meetings -------------------------------------------------------------------------------
    def meetings(self) -> tuple[int, int]:
        featured = FEATURED_COMMUNES.get(self.province.code, ())
        communes = list(AdminUnit.objects.filter(province=self.province, level__code="commune", code__in=featured)
                        .order_by("code"))
        if not communes:
            return 0, 0
        committee: dict[int, list[int]] = {}
        for pk, unit_id in Cadre.objects.filter(agency__unit__in=communes, agency__kind=AgencyKind.PARTY_COMMITTEE,
                                                left_on__isnull=True).values_list("pk", "agency__unit_id"):
            committee.setdefault(unit_id, []).append(pk)
        cells = {c.unit_id: c for c in PartyCell.objects.filter(unit__parent__in=communes, agency__isnull=True)}
        staff: dict[int, list[int]] = {}
        for pk, unit_id in Cadre.objects.filter(unit__in=communes, left_on__isnull=True).order_by("code") \
                .values_list("pk", "unit_id"):
            staff.setdefault(unit_id, []).append(pk)
        followers = self._followers([c.pk for c in communes] + list(cells))
        plan: list[tuple[Meeting, list[tuple[int, bool]]]] = []
        for commune in communes:
            rng = _rng(self.seed, "meetings", commune.code)
            for month_start in self._month_starts():
                day = self._workday(rng, month_start)
                if day is None or day > self.today:
                    continue
                people = [(pk, False) for pk in committee.get(commune.pk, [])]
                people += [(pk, True) for pk in followers.get(commune.pk, []) if pk not in dict(people)]
                plan.append((Meeting(province=self.province, unit=commune, kind=MeetingKind.COMMITTEE, date=day,
                                     title="Họp Ban Chấp hành Đảng bộ xã thường kỳ"), people))
                for village_id, _lat, _lon in self.villages_of.get(commune.pk, []):
                    cell = cells.get(village_id)
                    if cell is None:
                        continue
                    who = followers.get(village_id) or rng.sample(staff.get(commune.pk, []),
                                                                  k=min(1, len(staff.get(commune.pk, []))))
                    plan.append((Meeting(province=self.province, unit_id=village_id, kind=MeetingKind.PARTY_CELL,
                                         party_cell=cell, date=min(day + dt.timedelta(days=rng.randint(1, 6)),
                                                                   self.today),
                                         title="Sinh hoạt chi bộ thường kỳ"), [(pk, True) for pk in who]))
        meetings = Meeting.objects.bulk_create([m for m, _ in plan], batch_size=1000)
        rows = []
        for meeting, (_m, people) in zip(meetings, plan, strict=True):
            rng = _rng(self.seed, "attendance", meeting.unit_id, meeting.date)
            for cadre_id, as_follower in people:
                status = rng.choices(AttendanceStatus.values, weights=(85, 10, 5))[0]
                rows.append(Attendance(province=self.province, meeting=meeting, cadre_id=cadre_id, date=meeting.date,
                                       status=status, as_follower=as_follower))
        Attendance.objects.bulk_create(rows, batch_size=2000)
        return len(meetings), len(rows)

    def _followers(self, unit_ids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for pk, (units, _households) in self.followed.items():
            for unit in units:
                if unit in unit_ids:
                    found.setdefault(unit, []).append(pk)
        return found

    # -- concerns -------------------------------------------------------------------------------
    def concerns(self) -> int:
        rng = _rng(self.seed, "concerns")
        candidates = [v for v in self.visits if v["units"] and v["date"] >= self._month_starts()[-2]]
        made = 0
        for v in rng.sample(candidates, k=min(12, len(candidates))):
            text, field = rng.choice(CONCERNS)
            petition_receive(actor=None, unit=AdminUnit.objects.get(pk=v["units"][0]), text=text, field=field,
                             channel="visit", source_ref=str(v["uuid"]),
                             received_at=v["recorded_at"])
            made += 1
        return made


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory,
           today: dt.date | None = None) -> dict[str, int]:
    """Add six months of field work to the demo province; {} when it already has visits."""
    if Visit.objects.filter(province=province).exists():
        return {}
    started = time.monotonic()
    today = today or timezone.localdate()
    setting_services.topics_ensure_defaults(actor=None, province=province)
    setting_services.quotas_ensure_defaults(actor=None, province=province)
    builder = _Builder(province, seed, today)
    builder.commune_cadres()
    builder.province_cadres()
    flagged = builder.anomalies()
    with progress(len(builder.visits), gettext("Đi cơ sở")) as bar:
        visits = builder.write_visits(bar)
    audit.record(actor=None, action="demo.fieldwork.visits", obj=province,
                 after={"seed": seed, "visits": visits, "flagged": flagged, "from": builder.start, "to": today,
                        "topics": [code for code, _vi, _en in DEFAULT_TOPICS]})
    with progress(None, gettext("Cuộc họp, điểm danh")) as bar:
        meetings, attendance = builder.meetings()
        bar.update(meetings)
    audit.record(actor=None, action="demo.fieldwork.meetings", obj=province,
                 after={"seed": seed, "meetings": meetings, "attendance": attendance,
                        "seconds": round(time.monotonic() - started, 1)})
    concerns = builder.concerns()
    return {gettext("lần đi cơ sở"): visits, gettext("cuộc họp"): meetings, gettext("lượt điểm danh"): attendance,
            gettext("ý kiến"): concerns}
