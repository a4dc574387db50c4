"""Factories for the evaluation's tests, on the persona world of gandan.people.testing: commune A's
agency has cadre_a (account commune_a_cadre, no manager: the commune A leader assesses and concludes);
the province committee is the level above."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from gandan.evaluation import services
from gandan.evaluation.models import AgencyMonth, AnnualResult, Rubric, Sheet
from gandan.evaluation.rubric import DECREE_335
from gandan.plans.periods import previous_month
from gandan.plans.testing import on

if TYPE_CHECKING:
    from gandan.people.models import User
    from gandan.people.testing import World

MONTH = dt.date(2026, 3, 1)
FULL = {"politics": "10", "capacity": "10", "grassroots": "5", "innovation": "5"}


def points(total: int | str = 30) -> dict[str, str]:
    """General points adding up to `total` (0–30), filled criterion by criterion."""
    left = Decimal(str(total))
    out = {}
    for code, top in FULL.items():
        give = min(left, Decimal(top))
        out[code] = str(give)
        left -= give
    return out


def open_month(world: World, month: dt.date = MONTH) -> AgencyMonth:
    with on(month + dt.timedelta(days=31)):
        services.month_open(actor=world.commune_a_leader, unit=world.commune_a, month=month)
    return AgencyMonth.objects.get(agency=world.agency_a, month=month, kind="civil_servant")


def sheet_of(month: AgencyMonth, cadre_id: int) -> Sheet:
    return month.sheets.select_related("agency_month", "cadre", "rubric").get(cadre_id=cadre_id)


def self_assess(sheet: Sheet, actor: User, total: int | str = 30) -> Sheet:
    return services.sheet_self_assess(actor=actor, sheet=sheet, points=points(total), comment="Đã cố gắng")


def assess(sheet: Sheet, actor: User, total: int | str | None = None, reason: str = "Đúng thực tế") -> Sheet:
    sheet = Sheet.objects.select_related("agency_month", "cadre", "rubric", "assessor").get(pk=sheet.pk)
    given = points(total) if total is not None else {s.code: str(s.self_points) for s in sheet.scores.all()}
    return services.sheet_assess(actor=actor, sheet=sheet, points=given, reasons=dict.fromkeys(given, reason))


def conclude_month(month: AgencyMonth, people: list[tuple[User, int, int | str]], leader: User) -> AgencyMonth:
    """Steps 1–3 for the month: each (account, cadre id, general points), assessed as self-scored."""
    for account, cadre_id, total in people:
        assess(self_assess(sheet_of(month, cadre_id), account, total), leader)
    return services.month_conclude(actor=leader, month=month)


def province_rubric(world: World, valid_from: dt.date = dt.date(2026, 1, 1), **changes: object) -> Rubric:
    """The province's own civil-servant rubric: the shipped default with `changes`, issued by the system."""
    found = Rubric.objects.filter(province=world.province, agency=None, kind="civil_servant",
                                  valid_from=valid_from).first()
    if found is not None:
        return found
    return services.rubric_save(actor=None, kind="civil_servant", name="Bộ tiêu chí của tỉnh", valid_from=valid_from,
                                body={**copy.deepcopy(DECREE_335), **changes}, province=world.province)


def evaluation_ids(world: World) -> dict[str, int]:
    """A sheet and an agency's month of last month, for the API's walk over every operation."""
    month = previous_month(timezone.localdate())
    services.month_open(actor=None, unit=world.commune_a, month=month)
    agency_month = AgencyMonth.objects.get(agency=world.agency_a, month=month, kind="civil_servant")
    return {"month_id": agency_month.pk, "sheet_id": sheet_of(agency_month, world.cadre_a.pk).pk,
            "rubric_id": province_rubric(world).pk, "annual_id": annual_of(world).pk}


def annual_of(world: World, year: int = 2026) -> AnnualResult:
    """cadre_a's year, from one concluded month (January) in which the agency's other cadres were on leave."""
    from gandan.evaluation import year_services

    month = dt.date(year, 1, 1)
    services.month_open(actor=None, unit=world.commune_a, month=month)
    january = AgencyMonth.objects.get(agency=world.agency_a, month=month, kind="civil_servant")
    for other in january.sheets.exclude(cadre=world.cadre_a):
        services.sheet_leave(actor=world.commune_a_leader, sheet=other, on_leave=True, days_worked=0)
    conclude_month(january, [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    return year_services.annual_compute(actor=None, agency=world.agency_a, year=year)[0]
