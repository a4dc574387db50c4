"""Groups of similar tasks: set by the agency's leadership for all its cadres in one submit, carried onto
the month's sheets (the open months at once, the later ones when they open), and the excellent cap
checked within each group as well as within the agency — at step 3 and for the year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.evaluation import rules, services, task_groups, year_services
from gandan.evaluation.rubric import DECREE_335, RubricRules
from gandan.evaluation.testing import assess, open_month, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import make_cadre, make_user
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
D = dt.date
RULES = RubricRules.from_data(DECREE_335)


def test_the_cap_by_hand_within_the_agency_and_within_a_group():
    # ten graded good-or-better: the agency allows floor(20% × 10) = 2 excellent, and has 2;
    # the group "ke_toan" has 5 of them, 2 excellent: it allows floor(20% × 5) = 1, so the lower one is above
    entries = [rules.Entry("a", "excellent", rules.q2(rules.ZERO + 100), "ke_toan"),
               rules.Entry("b", "excellent", rules.q2(rules.ZERO + 99), "ke_toan"),
               *[rules.Entry(f"g{i}", "good", rules.ZERO + 80, "ke_toan" if i < 3 else "") for i in range(8)]]
    assert rules.cap_exceeded([rules.Entry(e.key, e.grade, e.total) for e in entries], RULES) == []
    (agency, group) = rules.cap_check(entries, RULES)
    assert (agency.allowed, agency.excellent, group.scope, group.base, group.allowed) == (2, 2, "ke_toan", 5, 1)
    assert rules.cap_exceeded(entries, RULES) == ["b"]
    assert {e.key: e.grade for e in rules.within_cap(entries, RULES)}["b"] == "good"


@pytest.fixture
def ten(world):
    """cadre_a and nine more cadres of agency A, each with an account."""
    others = [make_cadre(world.agency_a, f"Cán bộ {i}") for i in range(9)]
    accounts = [make_user(f"c{i}", role=Role.CADRE, unit=world.commune_a, cadre=c) for i, c in enumerate(others)]
    return [(world.commune_a_cadre, world.cadre_a), *zip(accounts, others, strict=True)]


def _grade_all(month, people, leader) -> None:
    for i, (account, cadre) in enumerate(people):
        total = 30 if i == 0 else "29.9" if i == 1 else 24  # two excellent, eight good
        assess(self_assess(sheet_of(month, cadre.pk), account, total), leader)


def test_groups_set_on_an_open_month_reach_its_sheets_and_the_cap_holds_within_each(world, ten):
    leader = world.commune_a_leader
    march = open_month(world)
    _grade_all(march, ten, leader)
    group = {cadre.pk: "Kế toán" for _a, cadre in ten[:5]}
    with pytest.raises(PermissionDenied):
        task_groups.task_groups_set(actor=world.commune_a_cadre, agency=world.agency_a, groups=group)
    with pytest.raises(ValidationError) as err:
        task_groups.task_groups_set(actor=leader, agency=world.agency_a, groups={world.cadre_b.pk: "Kế toán"})
    assert list(err.value.message_dict) == [f"cadre_{world.cadre_b.pk}"]
    task_groups.task_groups_set(actor=leader, agency=world.agency_a, groups={**group, ten[5][1].pk: "  "})
    assert sheet_of(march, ten[0][1].pk).task_group == "Kế toán" and sheet_of(march, ten[5][1].pk).task_group == ""
    assert AuditEvent.objects.filter(action="evaluation.task_groups.set").count() == 1
    with pytest.raises(services.CapExceeded) as above:
        services.month_conclude(actor=leader, month=march)
    assert above.value.above == [sheet_of(march, ten[1][1].pk).pk]  # the group's lower excellent
    services.month_conclude(actor=leader, month=march, grades={sheet_of(march, ten[1][1].pk).pk: "good"})
    task_groups.task_groups_set(actor=leader, agency=world.agency_a, groups={ten[0][1].pk: "Văn phòng"})
    assert sheet_of(march, ten[0][1].pk).task_group == "Kế toán"  # a concluded month keeps its groups
    april = open_month(world, D(2026, 4, 1))
    assert sheet_of(april, ten[0][1].pk).task_group == "Văn phòng"
    assert sheet_of(april, ten[2][1].pk).task_group == "Kế toán"


def test_the_years_cap_holds_within_each_group_too(world, ten):
    leader = world.commune_a_leader
    task_groups.task_groups_set(actor=leader, agency=world.agency_a,
                                groups={cadre.pk: "Kế toán" for _a, cadre in ten[:5]})
    march = open_month(world)
    _grade_all(march, ten, leader)
    services.month_conclude(actor=leader, month=march, grades={sheet_of(march, ten[1][1].pk).pk: "good"})
    # the year grades by the scores: 100 and 99.67 are both excellent, within the agency's 2 (of 10) but
    # above the group's 1 (of 5): the lower one is good for the year, its computed grade kept beside
    with on(D(2026, 12, 10)):
        results = year_services.annual_compute(actor=leader, agency=world.agency_a, year=2026)
    by_cadre = {r.cadre_id: r for r in results}
    assert by_cadre[ten[0][1].pk].grade == "excellent"
    second = by_cadre[ten[1][1].pk]
    assert (second.computed_grade, second.grade) == ("excellent", "good")


def test_the_groups_page_sets_all_the_agencys_cadres_in_one_submit(world, ten, client_as):
    url = reverse("evaluation-agency-groups", args=[world.agency_a.pk])
    client = client_as(world.commune_a_leader)
    page = client.get(url).content.decode()
    assert all(f'name="g_{cadre.pk}"' in page for _a, cadre in ten)
    client.post(url, {f"g_{cadre.pk}": "Một cửa" for _a, cadre in ten[:3]})
    assert task_groups.groups_of([world.agency_a.pk]) == {cadre.pk: "Một cửa" for _a, cadre in ten[:3]}
    assert client_as(world.commune_a_viewer).get(url).status_code == 404
    assert client_as(world.commune_a_cadre).get(url).status_code == 404
