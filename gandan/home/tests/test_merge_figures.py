"""Figures before = figures after: every figure of the units that merge adds up under the unit they
become, through a chain of merges (S → T, then T → U across provinces, then the emptied province into
the other), and a filter by an ended unit still shows that unit's history. The evaluation is read as
its leadership reads it (sheets, agencies' months, the ranking of agencies), and the reports' rollups
after the rebuild each merge queues (run at once: huey's immediate mode) and again from scratch. Runs on
SQLite and on PostgreSQL (DATABASE_URL). Lives in `home`, the layer that may read every domain app."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import Decimal
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
from gandan.evaluation import queries as evaluation_queries
from gandan.evaluation import services as evaluation_services
from gandan.evaluation.models import AgencyMonth, Sheet
from gandan.evaluation.testing import assess, self_assess
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
from gandan.reports.models import Rollup
from gandan.reports.rollup import rebuild_month

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=VN)
MERGE_DAY = dt.date(2026, 3, 15)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
MONTHS = (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1))
# Stocks of the communes themselves: two communes that merge are one from the month they merge in.
COMMUNE_STOCKS = ("communes", "communes_covered")


def _at(day: dt.date, hour: int = 9) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False)


_READERS = itertools.count()


def _evaluation(unit: AdminUnit) -> dict[str, Any]:
    """The evaluation as its leadership reads it: the sheets (by month, status and grade) and the agencies'
    months (by month and status) its leaders see, and each concluded month's ranking of agencies (mean,
    graded, grade distribution). Read as a leader of the unit would, through a grant made for the read."""
    reader = make_user(f"lead_reader_{unit.pk}_{next(_READERS)}")
    grant = RoleGrant.objects.create(user=reader, role=Role.LEADER, unit=unit)
    try:
        sheets = evaluation_queries.sheets_visible(reader)
        by_grade = Counter({(m.strftime("%Y-%m"), status, grade): n for m, status, grade, n in sheets.order_by().values(
            "month", "status", "grade").annotate(n=Count("pk")).values_list("month", "status", "grade", "n")})
        months = Counter({(m.strftime("%Y-%m"), status): n for m, status, n in evaluation_queries.months_led(reader)
                          .order_by().values("month", "status").annotate(n=Count("pk"))
                          .values_list("month", "status", "n")})
        ranking = {(month.strftime("%Y-%m"), a.agency_id): (a.mean, a.graded, dict(a.distribution))
                   for month in MONTHS for a in evaluation_queries.agency_ranking(reader, month)}
    finally:
        grant.delete()
    return {"sheets": by_grade, "evaluation_months": months, "agency_ranking": ranking}


def _rollups(unit: AdminUnit) -> dict[str, dict[str, Decimal]]:
    """The unit's rollups, month by month, as the reports read them (one row per unit, month, measure)."""
    found: dict[str, dict[str, Decimal]] = {}
    for period, measure, value in Rollup.objects.filter(unit=unit).values_list("period", "measure", "value"):
        if measure not in COMMUNE_STOCKS or period < MERGE_DAY.strftime("%Y-%m"):
            found.setdefault(period, {})[measure] = value
    return found


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
        **_evaluation(unit),
        "rollups": _rollups(unit),
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
            elif key == "agency_ranking":
                total[key] = {**total[key], **value}  # each agency's row: the agencies are disjoint
            elif key == "rollups":
                merged_rollups = {period: dict(row) for period, row in total[key].items()}
                for period, row in value.items():
                    into = merged_rollups.setdefault(period, {})
                    for measure, n in row.items():
                        into[measure] = into.get(measure, Decimal(0)) + n
                total[key] = merged_rollups
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


def _evaluate(unit: AdminUnit, leader: Any, accounts: dict[int, Any], n: int) -> None:
    """The unit's agencies evaluated: January concluded (general points by commune and by place in the list,
    so that grades differ; cadres without an account on leave), February through step 1 only."""
    for month, concluded in ((dt.date(2026, 1, 1), True), (dt.date(2026, 2, 1), False)):
        with _at(month + dt.timedelta(days=33)):
            evaluation_services.month_open(actor=None, unit=unit, month=month)
            for agency_month in AgencyMonth.objects.filter(unit=unit, month=month):
                for i, sheet in enumerate(agency_month.sheets.select_related("agency_month", "cadre", "rubric")
                                          .order_by("pk")):
                    account = accounts.get(sheet.cadre_id)
                    if account is None:
                        evaluation_services.sheet_leave(actor=leader, sheet=sheet, on_leave=True, days_worked=0)
                        continue
                    sheet = self_assess(sheet, account, (0, 24, 8)[n - 1] + 10 * i)
                    if concluded:
                        assess(sheet, leader)
                if concluded:
                    evaluation_services.month_conclude(actor=leader, month=agency_month)


def _rollups_rebuilt() -> None:
    for month in MONTHS:
        rebuild_month(month)


def _rollups_as_rows() -> set[tuple[int, int, str, str, Any]]:
    return set(Rollup.objects.values_list("province_id", "unit_id", "period", "measure", "value"))


@pytest.mark.django_db
def test_figures_before_equal_figures_after_a_chain_of_merges_across_provinces(
        world, django_capture_on_commit_callbacks):
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
    _evaluate(s, leader_b, {world.cadre_b.pk: world.commune_b_admin}, 1)
    _evaluate(t, world.commune_a_leader, {world.cadre_a.pk: world.commune_a_cadre}, 2)
    _evaluate(u, leader_o, {cadre_o.cadre.pk: cadre_o, world.cadre_other.pk: world.other_province_leader}, 3)

    def merge(sources: list[AdminUnit], target: AdminUnit) -> None:
        """The merge, and the rollup rebuild it queues once it commits (huey runs it at once in tests)."""
        with django_capture_on_commit_callbacks(execute=True) as queued:
            unit_merge(actor=None, sources=sources, target=target, effective=MERGE_DAY)
        assert queued, "the merge queues the rebuild of its provinces' rollups"

    with time_machine.travel(NOW, tick=False):
        _rollups_rebuilt()
        before = {unit.pk: figures(viewer, unit) for unit in (s, t, u)}
        assert before[s.pk]["sheets"] and before[s.pk]["agency_ranking"]
        assert before[s.pk]["rollups"]["2026-01"]["graded"] == 1
        merge([s], t)
        assert figures(viewer, t) == added(before[s.pk], before[t.pk])
        rows, _departments, _total = reports.rates_table(world.province, *PERIOD)
        assert {row.pk for row in rows} == {t.pk}  # the old unit has no row of its own: its stints are T's
        merge([t], u)
        after = figures(viewer, u)
        assert after == added(before[s.pk], before[t.pk], before[u.pk])
        communes = Rollup.objects.filter(unit=u, measure="communes")
        assert dict(communes.values_list("period", "value")) == {"2026-01": 3, "2026-02": 3, "2026-03": 1}
        # what the job left is what a rebuild from scratch writes
        rebuilt_by_job = _rollups_as_rows()
        Rollup.objects.all().delete()
        _rollups_rebuilt()
        assert _rollups_as_rows() == rebuilt_by_job
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
        _rollups_rebuilt()  # the visit recorded above counts in March's rollups
        before_provinces = added(figures(viewer, world.province), figures(viewer, world.other_province))
        merge([world.province], world.other_province)
        assert figures(viewer, world.other_province) == before_provinces
        rebuilt_by_job = _rollups_as_rows()
        Rollup.objects.all().delete()
        _rollups_rebuilt()
        assert _rollups_as_rows() == rebuilt_by_job
    dead = {world.province.pk}
    for model in (Household, Agency, Cadre, Meeting, Task, Visit, Petition, Assignment, CampaignEvent, Sheet,
                  AgencyMonth):
        assert not model.objects.filter(province_id__in=dead).exists(), model.__name__
    assert not Rollup.objects.filter(province_id__in=dead).exists()
