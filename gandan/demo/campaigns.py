"""A year of campaigns in the demo province (run by `gandan demo`, after field work).

"Ngày cuối tuần cùng dân": the province party committee's weekend campaign for the featured
communes; on most weekends each commune's people's committee or one of its mass organisations
goes to a village with some of its people, works beside the citizens and records km of road,
ha of terraced fields, lighting and workdays. "Thứ Năm hằng tuần xuống thôn, bản": the first
featured commune's Thursday field days, renovating mixed gardens for households. And a register
of exemplary models, some recognised, praised or commended. Everything goes through the services
(events give the cadres present their field-day visits), drawn from random.Random(f"{seed}:
campaigns:…") relative to `today`; a province that already has campaigns is left alone.
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

from gandan.campaigns.campaign_services import CampaignData, campaign_create
from gandan.campaigns.inputs import DecisionIn, EventIn, ModelIn, OutputIn
from gandan.campaigns.model_services import model_decide, model_register
from gandan.campaigns.models import Campaign
from gandan.campaigns.services import event_record
from gandan.demo.build import FEATURED_COMMUNES
from gandan.org.models import AdminUnit, Agency, AgencyKind, PartyCell
from gandan.people.models import Cadre

ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]
WEEKEND_AGENCIES = (AgencyKind.PEOPLES_COMMITTEE, AgencyKind.YOUTH_UNION, AgencyKind.WOMENS_UNION,
                    AgencyKind.FARMERS_UNION, AgencyKind.VETERANS_ASSOCIATION)
MODELS = (("Đường hoa nông thôn mới", "new_rural"), ("Cải tạo vườn tạp trồng cây ăn quả", "economy"),
          ("Dân vận khéo trong hiến đất làm đường", "mass_mobilisation"), ("Thôn bản sáng, xanh, sạch, đẹp",
                                                                           "environment"),
          ("Tổ an ninh tự quản", "security"), ("Chi bộ sinh hoạt chuyên đề kiểu mẫu", "party_building"),
          ("Nuôi ong lấy mật", "economy"), ("Giữ gìn khèn Mông", "culture"), ("Trồng chè shan tuyết", "economy"))
NOTES = ("Phát quang, khơi thông cống rãnh.", "Đổ bê tông đường vào bản.", "Cùng bà con khai hoang ruộng bậc thang.",
         "Kéo dây điện chiếu sáng đường thôn.", "Tuyên truyền chính sách tại nhà văn hóa.", "")


def _rng(seed: int, *key: Any) -> random.Random:
    return random.Random(":".join([str(seed), "campaigns", *map(str, key)]))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 1)))


class _Builder:
    def __init__(self, province: AdminUnit, seed: int, today: dt.date) -> None:
        self.province, self.seed, self.today = province, seed, today
        self.start = today - dt.timedelta(days=364)
        codes = FEATURED_COMMUNES.get(province.code or "", ())
        communes = {u.code: u for u in AdminUnit.objects.current().filter(province=province, level__code="commune",
                                                                            code__in=codes)}
        self.communes = [communes[c] for c in codes if c in communes]
        self.villages = {c.pk: list(AdminUnit.objects.current().filter(parent=c).order_by("code"))
                         for c in self.communes}
        self.cells = self._cells()
        self.events = 0

    def _cells(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        units = [v.pk for vs in self.villages.values() for v in vs]
        for pk, unit_id in PartyCell.objects.filter(unit_id__in=units).order_by("pk").values_list("pk", "unit_id"):
            found.setdefault(unit_id, []).append(pk)
        return found

    def _people(self, agency: Agency) -> list[int]:
        return list(Cadre.objects.active().filter(agency=agency).order_by("code").values_list("pk", flat=True))

    def _record(self, rng: random.Random, campaign: Campaign, agency: Agency, day: dt.date, village: AdminUnit,
                outputs: list[OutputIn], people: list[int], *, size: tuple[int, int], citizens: tuple[int, int],
                notes: str = "") -> None:
        named = rng.sample(people, k=min(len(people), rng.randint(*size)))
        cells = self.cells.get(village.pk, [])
        reached = rng.random() < 0.4 and bool(cells)
        crowd = rng.randint(*citizens)
        event_record(actor=None, campaign=campaign, data=EventIn(
            client_uuid=_uuid(rng), campaign_id=campaign.pk, date=day, unit_id=village.pk, agency_id=agency.pk,
            cadre_ids=named, cadre_participations=len(named) + rng.choice((0, 0, 1, 2, 5)), citizens=crowd,
            citizen_groups={"women": crowd // 3, "youth": crowd // 5} if rng.random() < 0.5 else {},
            party_members_reached=rng.randint(8, 30) if reached else 0, party_cell_ids=cells[:1] if reached else [],
            outputs=outputs, notes=notes))
        self.events += 1

    def weekend(self) -> Campaign | None:
        organiser = Agency.objects.filter(unit=self.province, kind=AgencyKind.PARTY_COMMITTEE).first()
        if organiser is None or not self.communes:
            return None
        campaign = campaign_create(actor=None, data=CampaignData(
            name="Ngày cuối tuần cùng dân", agency=organiser, starts_on=self.start, schedule="weekends",
            scope=[(c, True) for c in self.communes], min_events=1, rule_period="month",
            rule_employment_types=["cadre", "civil_servant"],
            indicator_codes=["roads_repaired", "roads_concreted", "lighting", "fields_reclaimed", "workdays",
                             "people_reached"],
            description="Cán bộ, công chức, viên chức cùng nhân dân làm việc thiết thực tại thôn, bản vào cuối tuần."))
        for commune in self.communes:
            rng = _rng(self.seed, "weekend", commune.code)
            agencies = [a for a in Agency.objects.filter(unit=commune, kind__in=WEEKEND_AGENCIES).order_by("name")]
            people = {a.pk: self._people(a) for a in agencies}
            agencies = [a for a in agencies if people[a.pk]]
            villages = self.villages.get(commune.pk, [])
            if not agencies or not villages:
                continue
            day = self.start + dt.timedelta(days=(5 - self.start.weekday()) % 7)  # the first Saturday
            while day <= self.today:
                if rng.random() < 0.55:
                    when = day + dt.timedelta(days=rng.choice((0, 1)))
                    if when <= self.today:
                        agency = rng.choice(agencies)
                        outputs = [OutputIn(indicator="roads_repaired", amount=_amount(rng, 0.3, 2.5), measure="km"),
                                   OutputIn(indicator="workdays", amount=Decimal(rng.randint(20, 120)),
                                            measure="workdays")]
                        if rng.random() < 0.3:
                            outputs.append(OutputIn(indicator="fields_reclaimed", amount=_amount(rng, 0.1, 1.2),
                                                    measure="ha"))
                        if rng.random() < 0.2:
                            outputs.append(OutputIn(indicator="roads_concreted", amount=_amount(rng, 0.1, 0.8),
                                                    measure="km"))
                        if rng.random() < 0.15:
                            outputs.append(OutputIn(indicator="lighting", amount=_amount(rng, 0.2, 1.0),
                                                    measure="km"))
                        self._record(rng, campaign, agency, when, rng.choice(villages), outputs, people[agency.pk],
                                     size=(3, 10), citizens=(15, 90), notes=rng.choice(NOTES))
                day += dt.timedelta(days=7)
        return campaign

    def thursdays(self) -> Campaign | None:
        commune = self.communes[1] if len(self.communes) > 1 else (self.communes[0] if self.communes else None)
        organiser = Agency.objects.filter(unit=commune, kind=AgencyKind.PEOPLES_COMMITTEE).first() \
            if commune else None
        if commune is None or organiser is None:
            return None
        people = self._people(organiser)
        villages = self.villages.get(commune.pk, [])
        campaign = campaign_create(actor=None, data=CampaignData(
            name="Thứ Năm hằng tuần xuống thôn, bản", agency=organiser, starts_on=self.start, schedule="thursdays",
            scope=[(commune, True)], min_events=2, rule_period="month",
            indicator_codes=["gardens_renovated", "households_helped", "workdays"],
            description="Công chức xã xuống thôn, bản giúp nhân dân cải tạo vườn tạp."))
        rng = _rng(self.seed, "thursdays", commune.code)
        day = self.start + dt.timedelta(days=(3 - self.start.weekday()) % 7)
        while day <= self.today and people and villages:
            if rng.random() < 0.85:
                gardens = rng.randint(2, 9)
                self._record(rng, campaign, organiser, day, rng.choice(villages), [
                    OutputIn(indicator="gardens_renovated", amount=Decimal(gardens), measure="gardens"),
                    OutputIn(indicator="households_helped", amount=Decimal(gardens + rng.randint(0, 3)),
                             measure="households"),
                    OutputIn(indicator="workdays", amount=Decimal(rng.randint(8, 40)), measure="workdays")],
                    people, size=(4, max(4, min(len(people), 12))), citizens=(5, 40),
                    notes="Giúp hộ cải tạo vườn tạp.")
            day += dt.timedelta(days=7)
        return campaign

    def models(self, campaigns: list[Campaign]) -> tuple[int, int]:
        made = decided = 0
        for commune in self.communes:
            rng = _rng(self.seed, "models", commune.code)
            villages = self.villages.get(commune.pk, []) or [commune]
            cadres = list(Cadre.objects.active().filter(unit=commune).order_by("code").values_list("pk", "full_name"))
            for index in range(rng.randint(6, 12)):
                title, field = rng.choice(MODELS)
                individual = bool(cadres) and rng.random() < 0.35
                cadre = rng.choice(cadres) if individual else None
                village = rng.choice(villages)
                registered = self.start + dt.timedelta(days=rng.randint(0, 300))
                model, _created = model_register(actor=None, data=ModelIn(
                    client_uuid=_uuid(rng), unit_id=(commune if individual else village).pk,
                    campaign_id=campaigns[0].pk if campaigns and rng.random() < 0.5 else None,  # the weekend's scope
                    holder_kind="individual" if individual else "collective",
                    holder_name=cadre[1] if cadre else f"Nhân dân {village.name}", cadre_id=cadre[0] if cadre else None,
                    title=f"{title} ({index + 1})" if index >= len(MODELS) else title, field=field,
                    description="Mô hình đăng ký trong phong trào thi đua của xã.",
                    evidence="Biên bản kiểm tra của Ủy ban MTTQ xã.", registered_on=registered))
                made += 1
                steps = rng.choices((0, 1, 2, 3), weights=(4, 3, 2, 1))[0]
                when = registered
                for status in ("recognised", rng.choice(("praised", "commended")), "commended")[:steps]:
                    when = min(when + dt.timedelta(days=rng.randint(20, 60)), self.today)
                    if status == "commended" and model.status == "commended":
                        break
                    model_decide(actor=None, model=model, data=DecisionIn(
                        status=status, number=f"{rng.randint(10, 400)}/QĐ-UBND", date=when,
                        level="commune" if status == "recognised" else rng.choice(("commune", "province")),
                        issuer=f"Ủy ban nhân dân {commune.name}"))
                    decided += 1
        return made, decided


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory,
           today: dt.date | None = None) -> dict[str, int]:
    """Add a year of campaigns and a register of models to the demo province; {} when it has campaigns."""
    if Campaign.objects.filter(province=province).exists():
        return {}
    builder = _Builder(province, seed, today or timezone.localdate())
    with progress(None, gettext("Phong trào")) as bar:
        campaigns = [c for c in (builder.weekend(), builder.thursdays()) if c is not None]
        bar.update(builder.events)
    models, decisions = builder.models(campaigns)
    return {gettext("phong trào"): len(campaigns), gettext("đợt"): builder.events,
            gettext("mô hình"): models, gettext("quyết định"): decisions}
