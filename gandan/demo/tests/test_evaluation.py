"""The demo extension: six concluded months and one open in the featured communes, within the cap,
the demo cadre's sheet open for step 1; idempotent. (How long it takes is the bench's business, not a
test's: a timed assertion fails on a busy machine.)"""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.demo import evaluation as demo
from gandan.demo import plans as demo_plans
from gandan.demo.testing import demo_province, quiet
from gandan.evaluation import rules, scoring, services
from gandan.evaluation.models import AgencyMonth, MonthStatus, Sheet, SheetStatus
from gandan.people.models import User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def province():
    province = demo_province()
    demo_plans.extend(province, seed=7, progress=quiet, today=TODAY)
    return province


def test_six_concluded_months_and_one_open_within_the_cap(province):
    made = demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert made["tháng đã kết luận"] == 6 and demo.extend(province, seed=7, progress=quiet, today=TODAY) == {}
    months = dict(AgencyMonth.objects.values_list("month", "status").distinct())
    assert set(months) == {dt.date(2026, m, 1) for m in range(4, 11)}
    assert {s for m, s in months.items() if m < dt.date(2026, 10, 1)} == {MonthStatus.CONCLUDED}
    assert months[dt.date(2026, 10, 1)] == MonthStatus.OPEN
    for agency_month in AgencyMonth.objects.filter(status=MonthStatus.CONCLUDED):
        sheets = services.month_sheets(agency_month)
        entries = [rules.Entry(s.pk, s.grade, s.total, s.task_group) for s in sheets if s.grade]
        assert rules.cap_exceeded(entries, scoring.rubric_rules(sheets[0].rubric)) == []
    cadre = User.objects.get(username="canbo.nghiathuan").cadre
    mine = Sheet.objects.get(cadre=cadre, month=dt.date(2026, 10, 1))
    assert mine.status == SheetStatus.OPEN
    assert set(mine.agency_month.sheets.exclude(pk=mine.pk).values_list("status", flat=True)) <= {
        SheetStatus.ASSESSED}
    open_statuses = set(Sheet.objects.filter(month=dt.date(2026, 10, 1)).values_list("status", flat=True))
    assert open_statuses == {SheetStatus.OPEN, SheetStatus.SELF_ASSESSED, SheetStatus.ASSESSED}
    assert Sheet.objects.filter(month=dt.date(2026, 9, 1), evidence__tasks__assigned_ids__0__isnull=False).exists()
