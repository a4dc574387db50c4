"""Figures before = figures after: every figure of the units that merge adds up under the unit they
become, through a chain of merges (S → T, then T → U across provinces, then the emptied province into
the other), and a filter by an ended unit still shows that unit's history. Runs on SQLite and on
PostgreSQL (DATABASE_URL). Lives in `home`, the layer that may read every domain app."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.db.models import Count
from django.db.models.functions import TruncMonth

from gandan.assignments.coverage_queries import level_tallies
from gandan.assignments.models import Assignment
from gandan.assignments.queries import assignments_in
from gandan.assignments.testing import make_assignment
from gandan.campaigns import queries as campaign_queries
from gandan.campaigns.models import CampaignEvent
from gandan.campaigns.testing import make_campaign, make_event
from gandan.core.paths import path_q
from gandan.fieldwork import queries as visit_queries
from gandan.fieldwork.models import Meeting, Visit
from gandan.fieldwork.testing import make_visit
from gandan.org.models import AdminUnit, Agency, Household
from gandan.org.queries import subtree_counts
from gandan.org.services import unit_merge
from gandan.org.testing import make_household, make_unit
from gandan.people.models import Cadre, Role, RoleGrant
from gandan.people.testing import make_user
from gandan.petitions import queries as petition_queries
from gandan.petitions import reports, services
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive
from gandan.plans.models import Task
from gandan.plans.testing import assign

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=VN)
MERGE_DAY = dt.date(2026, 3, 15)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def _at(day: dt.date, hour: int = 9) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False)


def figures(viewer: Any, unit: AdminUnit) -> dict[str, Any]:
    """Every figure of one unit, each read through the query its page or export uses."""
    unit = AdminUnit.objects.select_related("level").get(pk=unit.pk)
    counts = subtree_counts(unit)
    visits = visit_queries.visits_filtered(viewer, visit_queries.VisitFilters(unit=unit))
    concerns = petition_queries.search(viewer, petition_queries.Filters(unit=unit.pk))
    _units, _agencies, rates = reports.rates_table(unit, *PERIOD)
    totals = campaign_queries.totals(viewer, campaign_queries.EventFilters(unit=unit))
    tallies = level_tallies(unit)
    return {
        "households": counts.get("households", 0),
        "villages": counts.get("village", 0),
        "agencies": Agency.objects.filter(path_q([unit.path], "unit__path")).count(),
        "cadres": Cadre.objects.filter(path_q([unit.path], "unit__path")).count(),
        "assignments": assignments_in(viewer, unit).count(),
        "coverage": {level: (t.covered, t.total) for level, t in tallies.items() if t.total},
        "visits_by_month": Counter({row["m"].strftime("%Y-%m"): row["n"] for row in visits.order_by().annotate(
            m=TruncMonth("date")).values("m").annotate(n=Count("pk")).values("m", "n")}),
        "meetings": Meeting.objects.filter(path_q([unit.path], "unit__path")).count(),
        "concerns_by_state": Counter(dict(concerns.order_by().values_list("status").annotate(n=Count("pk")))),
        "overdue": petition_queries.search(viewer, petition_queries.Filters(unit=unit.pk, overdue=True)).count(),
        "rates": rates,
        "tasks": Task.objects.filter(path_q([unit.path], "plan__unit__path")).count(),
        "campaign": (totals.events, totals.citizens, totals.participations),
    }


def added(*parts: dict[str, Any]) -> dict[str, Any]:
    """The figures of several disjoint units, added up."""
    total: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key not in total:
                total[key] = value
            elif key == "coverage":
                merged = dict(total[key])
                for level, (covered, of) in value.items():
                    c0, t0 = merged.get(level, (0, 0))
                    merged[level] = (c0 + covered, t0 + of)
                total[key] = merged
            elif key == "campaign":
                total[key] = tuple(a + b for a, b in zip(total[key], value, strict=True))
            else:
                total[key] = total[key] + value
    return total


def _activity(world: Any, commune: AdminUnit, village: AdminUnit, user: Any, leader: Any, cadre: Cadre,
              agency: Agency, campaign: Any, n: int) -> None:
    """For one commune: a household, an assignment, visits in two months, a meeting, concerns in four
    states (closed with the citizen's rating, answered awaiting it, open, overdue), a task, an event."""
    make_household(village, f"Hộ {n}")
    make_assignment(cadre, unit=village)
    for day in (dt.date(2026, 2, 10 + n), dt.date(2026, 3, 2 + n)):
        with _at(day):
            make_visit(world, actor=user, units=[village], date=day)
    Meeting.objects.create(province=world.province if commune.province_id == world.province.pk else
                           world.other_province, unit=commune, kind="committee", date=dt.date(2026, 2, 20))
    with _at(dt.date(2026, 3, 2)):
        closed = services.petition_accept(actor=user, petition=receive(world, unit=village, actor=user))
        closed = services.petition_answer(actor=user, petition=closed, text="Đã sửa xong.")
        pin = services.petition_pin_issue(actor=user, petition=closed).pin
        services.petition_rate(actor=None, petition=closed, satisfied=True, pin=pin)
        answered = services.petition_accept(actor=user, petition=receive(world, unit=village, actor=user,
                                                                          text="Đèn đường thôn bị hỏng đã lâu."))
        services.petition_answer(actor=user, petition=answered, text="Đã báo điện lực.")
        receive(world, unit=village, actor=user, text="Mương thoát nước bị tắc, nước tràn vào nhà dân.")
    with _at(dt.date(2026, 1, 5)):
        receive(world, unit=village, actor=user, text="Cầu tạm qua suối đã mục, học sinh đi lại nguy hiểm.")
    assign(world, given=dt.date(2026, 3, 1), due=dt.date(2026, 3, 25), actor=leader, cadre_id=cadre.pk)
    make_event(world, campaign, unit_id=village.pk, agency_id=agency.pk, cadre_ids=[cadre.pk], citizens=10 * n,
               date=dt.date(2026, 3, 7))


@pytest.mark.django_db
def test_figures_before_equal_figures_after_a_chain_of_merges_across_provinces(world):
    other_village = make_unit("village", "Bản Mù Cang", world.other_commune)
    viewer = make_user("national_viewer")
    for province in (world.province, world.other_province):
        RoleGrant.objects.create(user=viewer, role=Role.VIEWER, unit=province)
    RoleGrant.objects.create(user=world.commune_b_admin, role=Role.CADRE, unit=world.commune_b)
    leader_b = make_user("leader_b", role=Role.LEADER, unit=world.commune_b)
    leader_o = make_user("leader_o", role=Role.LEADER, unit=world.other_commune)
    cadre_o = make_user("cadre_o_user", role=Role.CADRE, unit=world.other_commune)
    cadre_o.cadre = Cadre.objects.create(province=world.other_province, unit=world.other_commune,
                                         agency=world.agency_b.__class__.objects.get(unit=world.other_commune),
                                         code="CBO1", full_name="Vừ A Dình", name_folded="vu a dinh")
    cadre_o.save(update_fields=["cadre"])
    with _at(dt.date(2026, 1, 2)):
        campaign_p = make_campaign(world, scope=[(world.commune_a, True), (world.commune_b, True)])
        campaign_o = make_campaign(world, agency=Agency.objects.get(unit=world.other_commune),
                                   scope=[(world.other_commune, True)])
    s, t, u = world.commune_b, world.commune_a, world.other_commune
    _activity(world, s, world.village_b1, world.commune_b_admin, leader_b, world.cadre_b, world.agency_b,
              campaign_p, 1)
    _activity(world, t, world.village_a1, world.commune_a_cadre, world.commune_a_leader, world.cadre_a,
              world.agency_a, campaign_p, 2)
    _activity(world, u, other_village, cadre_o, leader_o, cadre_o.cadre, Agency.objects.get(unit=u), campaign_o, 3)

    with time_machine.travel(NOW, tick=False):
        before = {unit.pk: figures(viewer, unit) for unit in (s, t, u)}
        unit_merge(actor=None, sources=[s], target=t, effective=MERGE_DAY)
        assert figures(viewer, t) == added(before[s.pk], before[t.pk])
        rows, _departments, _total = reports.rates_table(world.province, *PERIOD)
        assert {row.pk for row in rows} == {t.pk}  # the old unit has no row of its own: its stints are T's
        unit_merge(actor=None, sources=[t], target=u, effective=MERGE_DAY)
        after = figures(viewer, u)
        assert after == added(before[s.pk], before[t.pk], before[u.pk])
        # a filter by an ended unit shows its own history
        history = figures(viewer, s)
        # … what it did itself (its meetings, the concerns it resolved and their ratings), and what was done at
        # the villages it had then, before they moved on with its merge (their visits and concerns)
        mine, then = history["rates"], before[s.pk]["rates"]
        assert history["meetings"] == before[s.pk]["meetings"]
        assert (mine.resolved, mine.rated, mine.satisfied) == (then.resolved, then.rated, then.satisfied) != (0, 0, 0)
        assert history["visits_by_month"] == before[s.pk]["visits_by_month"] != Counter()
        assert history["concerns_by_state"] == before[s.pk]["concerns_by_state"] != Counter()
        assert history["overdue"] == before[s.pk]["overdue"] != 0
        assert history["households"] == 0  # households are counted where they are now
        # T, ended in its turn, holds its own villages' history and S's
        t_history, t_then = figures(viewer, t), added(before[s.pk], before[t.pk])
        for key in ("visits_by_month", "concerns_by_state", "overdue"):
            assert t_history[key] == t_then[key], key
        # nothing after the end day counts for an ended unit: a visit at S's old village today is U's alone
        make_visit(world, actor=cadre_o, units=[world.village_b1], date=NOW.date())
        assert figures(viewer, s)["visits_by_month"] == before[s.pk]["visits_by_month"]
        assert figures(viewer, u)["visits_by_month"]["2026-03"] == after["visits_by_month"]["2026-03"] + 1
        before_provinces = added(figures(viewer, world.province), figures(viewer, world.other_province))
        unit_merge(actor=None, sources=[world.province], target=world.other_province, effective=MERGE_DAY)
        assert figures(viewer, world.other_province) == before_provinces
    dead = {world.province.pk}
    for model in (Household, Agency, Cadre, Meeting, Task, Visit, Petition, Assignment, CampaignEvent):
        assert not model.objects.filter(province_id__in=dead).exists(), model.__name__
