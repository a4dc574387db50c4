"""Each rollup equals the raw aggregate over the source rows, for every unit of the tree."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction
from django.db.models import Q, Sum

from gandan.campaigns.models import CampaignEvent, EventOutput
from gandan.fieldwork.models import Visit, VisitHousehold, VisitUnit
from gandan.org.models import AdminUnit
from gandan.petitions.models import Petition, PetitionHolding
from gandan.plans.models import Task
from gandan.reports.models import Rollup
from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER

pytestmark = pytest.mark.django_db


def under(unit: AdminUnit, field: str) -> Q:
    return Q(**{field: unit.path}) | Q(**{f"{field}__startswith": unit.path + "."})


def rollup(unit: AdminUnit, measure: str) -> int:
    row = Rollup.objects.filter(unit=unit, period="2026-10", measure=measure).first()
    return int(row.value) if row else 0


def raw(unit: AdminUnit) -> dict[str, int]:
    """The figures counted straight from the source rows, independently of measures.py."""
    month = {"date__gte": "2026-10-01", "date__lt": "2026-11-01"}
    visits = Visit.objects.filter(**month).filter(under(unit, "cadre__unit__path"))
    links = (VisitUnit.objects.filter(**month).filter(under(unit, "unit__path")).count()
             + VisitHousehold.objects.filter(**month).filter(under(unit, "household__village__path")).count())
    stints = (PetitionHolding.objects.filter(started_at__gte="2026-09-30T17:00Z", started_at__lt="2026-10-31T17:00Z")
              .filter(under(unit, "unit__path")).exclude(agency__kind="department"))
    tasks = Task.objects.filter(due_on__gte="2026-10-01", due_on__lt="2026-11-01").filter(
        under(unit, "plan__unit__path"))
    events = CampaignEvent.objects.filter(**month).filter(under(unit, "unit__path"))
    return {
        "visits": visits.count(), "field_days": visits.filter(kind="field_day").count(), "place_visits": links,
        "concerns_received": stints.count(),
        "concerns_raised": Petition.objects.filter(received_at__gte="2026-09-30T17:00Z",
                                                   received_at__lt="2026-10-31T17:00Z")
        .filter(under(unit, "unit__path")).count(),
        "concerns_responded": stints.filter(accepted_at__isnull=False).count(),
        "tasks_due": tasks.count(), "tasks_done": tasks.filter(status__in=["done", "accepted"]).count(),
        "tasks_late": sum(1 for t in tasks if (t.done_on or OCTOBER.replace(month=11, day=3)) > t.due_on),
        "events": events.count(), "citizens": events.aggregate(n=Sum("citizens"))["n"] or 0,
        "cadre_participations": events.aggregate(n=Sum("cadre_participations"))["n"] or 0,
        "output:roads_repaired": int(EventOutput.objects.filter(event__in=events, indicator__code="roads_repaired")
                                     .aggregate(n=Sum("amount"))["n"] or 0),
        "villages": AdminUnit.objects.filter(level__code="village").filter(under(unit, "path")).count(),
    }


def test_every_rollup_equals_the_raw_aggregate_at_every_level(october):
    w = october
    rebuild_month(OCTOBER)
    for unit in (w.province, w.commune_a, w.commune_b, w.village_a1, w.village_a2, w.village_b1,
                 w.other_province, w.other_commune):
        expected = raw(unit)
        assert {name: rollup(unit, name) for name in expected} == expected, unit.name


def test_the_hand_made_month_counts_what_was_arranged(october):
    w = october
    rebuild_month(OCTOBER)
    # three field days, one visit and the two campaign events' field days; September's is not October's
    assert rollup(w.commune_a, "visits") == 6
    assert rollup(w.province, "visits") == 7  # and commune B's
    assert rollup(w.other_province, "visits") == 1
    assert rollup(w.commune_a, "place_visits") == 9 and rollup(w.village_a2, "place_visits") == 3
    assert rollup(w.commune_a, "concerns_received") == 2 and rollup(w.province, "concerns_received") == 3
    assert (rollup(w.commune_a, "tasks_due"), rollup(w.commune_a, "tasks_done"), rollup(w.commune_a, "tasks_late")) \
        == (3, 2, 2)  # one done after its day, one still open past it
    assert rollup(w.commune_a, "citizens") == 65 and rollup(w.village_a2, "events") == 1
    assert (rollup(w.commune_a, "villages"), rollup(w.commune_a, "villages_covered")) == (2, 1)
    assert (rollup(w.province, "communes"), rollup(w.province, "communes_covered")) == (2, 1)
    assert (rollup(w.commune_a, "households"), rollup(w.commune_a, "households_covered")) == (2, 1)


def test_a_rebuild_replaces_the_month_and_one_province_leaves_the_others(october):
    w = october
    rebuild_month(OCTOBER)
    before = Rollup.objects.filter(unit=w.other_province).count()
    Visit.objects.filter(cadre=w.cadre_b).delete()
    rebuild_month(OCTOBER, province_ids=[w.province.pk])
    assert rollup(w.commune_b, "visits") == 0 and rollup(w.province, "visits") == 6
    assert Rollup.objects.filter(unit=w.other_province).count() == before


def test_the_command_rebuilds_every_month_of_a_period_and_refuses_a_bad_one(october):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("rollups", "rebuild", "--period", "2026-Q4", stdout=out, verbosity=0)
    assert rollup(october.commune_a, "visits") == 6
    assert Rollup.objects.filter(period="2026-12").exists()  # the stocks of December are there
    with pytest.raises(CommandError, match="2026-13"):
        call_command("rollups", "rebuild", "--period", "2026-13", verbosity=0)


def test_the_job_refreshes_the_running_month_and_the_last_in_its_first_days(october):
    from gandan.reports.jobs import refresh_current_rollups

    assert refresh_current_rollups() > 0  # 3 November: November and October
    assert rollup(october.commune_a, "visits") == 6 and Rollup.objects.filter(period="2026-11").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent rebuilds need PostgreSQL")
def test_a_rebuild_waits_for_another_rebuild_of_the_same_province_and_month(transactional_db, october):
    """The second rebuild queues behind the first's lock (seen waiting in pg_locks), then replaces its rows
    without colliding on rollup_unique; four at once leave the figures a single rebuild gives."""
    import threading

    from gandan.reports import rollup as rollup_module

    province = october.province.province_id or october.province.pk
    holding, release, errors = threading.Event(), threading.Event(), []

    def holder() -> None:
        try:
            with transaction.atomic():
                rollup_module._lock([province], OCTOBER)
                holding.set()
                release.wait(60)
        finally:
            connection.close()

    def rebuilder() -> None:
        try:
            rebuild_month(OCTOBER, province_ids=[province])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    assert holding.wait(30)
    second = threading.Thread(target=rebuilder)
    second.start()
    waiting = 0
    for _ in range(300):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            waiting = cursor.fetchone()[0]
        if waiting:
            break
        time.sleep(0.1)
    release.set()
    first.join()
    second.join()
    assert waiting == 1 and not errors

    expected = sorted(Rollup.objects.values_list("unit_id", "measure", "value"))
    crowd = [threading.Thread(target=rebuilder) for _ in range(4)]
    for t in crowd:
        t.start()
    for t in crowd:
        t.join()
    assert not errors
    assert sorted(Rollup.objects.values_list("unit_id", "measure", "value")) == expected
