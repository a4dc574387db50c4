"""The demo extension: six months of plans and tasks in the featured communes, with late, failed,
exempted, reassigned, overdue and waiting tasks; idempotent and deterministic for a seed and a day."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from gandan.assignments.testing import make_assignment
from gandan.demo import plans as demo
from gandan.demo.logins import demo_logins_ensure
from gandan.demo.testing import demo_province, quiet
from gandan.org.models import AdminUnit
from gandan.people.models import User
from gandan.plans.figures import figures_for
from gandan.plans.models import (
    CatalogueItem,
    Delay,
    ObjectiveCause,
    Plan,
    PlanSetting,
    Task,
    TaskShare,
    TaskStatus,
    WorkLogEntry,
)
from gandan.plans.worklog import DAY_MAX_HOURS, over_normal

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def province():
    return demo_province()


def digest() -> str:
    rows = Task.objects.order_by("client_uuid").values_list("client_uuid", "owner__code", "title", "weight", "due_on",
                                                            "done_on", "status")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_six_months_of_plans_with_every_kind_of_outcome_and_the_demo_cadre_has_a_plan(province):
    made = demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert made["nhiệm vụ"] > 100 and demo.extend(province, seed=7, progress=quiet, today=TODAY) == {}
    assert set(Plan.objects.values_list("starts_on", flat=True)) == {dt.date(2026, m, 1) for m in range(6, 12)}
    assert Delay.objects.exists() and ObjectiveCause.objects.filter(delay__isnull=False).exists()
    assert Task.objects.filter(assessments__outcome="failed").exists()
    assert Task.objects.filter(status=TaskStatus.OPEN, due_on__lt=TODAY).exists()
    assert Task.objects.filter(status=TaskStatus.DONE).exists()
    assert TaskShare.objects.filter(ended_on__isnull=False).exists()
    cadre = User.objects.get(username="canbo.nghiathuan").cadre
    assert Task.objects.filter(owner=cadre).count() >= 18
    assert Task.objects.filter(owner=cadre, assigner__username="lanhdao.nghiathuan").exists()
    f = figures_for([cadre.pk], dt.date(2026, 6, 1), dt.date(2026, 10, 31))[cadre.pk]
    assert 0 < f.completed <= f.assigned and f.completed_at_quality <= f.completed


def test_tasks_serve_units_and_the_demo_cadres_agency_keeps_a_bounded_work_log(province):
    demo_logins_ensure(province_code=province.code)
    cadre = User.objects.get(username="canbo.nghiathuan").cadre
    village = AdminUnit.objects.filter(parent=cadre.unit).order_by("code").first()
    make_assignment(cadre, unit=village, start=dt.date(2026, 1, 1))
    demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert set(Task.objects.filter(unit__isnull=False).values_list("owner_id", "unit_id")) == {(cadre.pk, village.pk)}
    assert list(PlanSetting.objects.filter(work_log=True).values_list("agency_id", flat=True)) == [cadre.agency_id]
    lines = WorkLogEntry.objects.filter(cadre=cadre)
    assert lines.filter(task__owner=cadre).exists() and not WorkLogEntry.objects.exclude(
        cadre__agency_id=cadre.agency_id).exists()
    totals: dict = {}
    for entry in WorkLogEntry.objects.all():
        totals[(entry.cadre_id, entry.date)] = totals.get((entry.cadre_id, entry.date), 0) + entry.hours
    assert max(totals.values()) <= DAY_MAX_HOURS and any(over_normal(t) for t in totals.values())
    assert all(TODAY - dt.timedelta(days=14) <= day < TODAY and day.weekday() < 5 for _c, day in totals)


def test_the_same_seed_and_day_build_the_same_plans(province):
    demo.extend(province, seed=7, progress=quiet, today=TODAY)
    first = digest()
    WorkLogEntry.objects.all().delete()
    Task.objects.all().delete()
    Plan.objects.all().delete()
    CatalogueItem.objects.all().delete()
    demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert digest() == first
