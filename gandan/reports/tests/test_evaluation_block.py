"""The dashboard's evaluation block: the grade distribution of a month's concluded sheets, rolled up
the tree, equal to the sheets counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gandan.evaluation.models import Sheet
from gandan.evaluation.testing import conclude_month, open_month
from gandan.plans.testing import on
from gandan.reports.models import Rollup
from gandan.reports.rollup import rebuild_month

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def value(unit, measure: str) -> int:
    row = Rollup.objects.filter(unit=unit, period="2026-03", measure=measure).first()
    return int(row.value) if row else 0


def test_the_grades_of_a_concluded_month_roll_up_and_show_on_the_dashboard(world, client_as):
    month = conclude_month(open_month(world, MARCH), [(world.commune_a_cadre, world.cadre_a.pk, 25)],
                           world.commune_a_leader)
    sheets = Sheet.objects.filter(agency_month=month, on_leave=False)
    by_grade = {grade: sheets.filter(grade=grade).count() for grade in ("excellent", "good", "done", "failed")}
    assert sum(by_grade.values()) == sheets.count() > 0
    with on(dt.date(2026, 4, 2)):
        rebuild_month(MARCH)
        for unit in (world.commune_a, world.province):
            assert value(unit, "graded") == sheets.count()
            for grade, count in by_grade.items():
                assert value(unit, f"grade_{grade}") == count, (unit, grade)
        assert value(world.commune_b, "graded") == 0
        page = client_as(world.province_committee).get(reverse("reports-dashboard"), {"period": "2026-03"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="block-evaluation"' in html
    assert f'href="{reverse("evaluation-ranking")}?month=2026-03" data-testid="figure-graded">{sheets.count()}<' in html
