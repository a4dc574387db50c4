"""The year from the concluded months: a transfer sends the old unit's months along, leave is not
counted, the year's cap; titles by the year's grade; commendations and the register they join."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.campaigns.model_queries import decisions_register
from gandan.campaigns.models import Decision
from gandan.core.models import AuditEvent
from gandan.evaluation import queries, services, year_services
from gandan.evaluation.models import AgencyMonth, ProposalStatus
from gandan.evaluation.testing import conclude_month, open_month, province_rubric, sheet_of
from gandan.people.models import Role
from gandan.people.testing import make_user
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def b_leader(world):
    return make_user("b_leader", role=Role.LEADER, unit=world.commune_b)


def _open_b(world, month):
    services.month_open(actor=None, unit=world.commune_b, month=month)
    return AgencyMonth.objects.get(agency=world.agency_b, month=month)


def test_a_transfer_sends_the_old_units_months_into_the_new_units_year(world, b_leader):
    for m in (1, 2):
        conclude_month(_open_b(world, D(2026, m, 1)), [(world.commune_b_admin, world.cadre_b.pk, 24)], b_leader)
    cadre = world.cadre_b
    cadre.agency, cadre.unit = world.agency_a, world.commune_a
    cadre.save()
    march = open_month(world, D(2026, 3, 1))
    conclude_month(march, [(world.commune_a_cadre, world.cadre_a.pk, 18),
                           (world.commune_b_admin, cadre.pk, 12)], world.commune_a_leader)
    results = {r.cadre_id: r for r in year_services.annual_compute(actor=world.commune_a_leader,
                                                                   agency=world.agency_a, year=2026)}
    # cadre_b: January and February 80 (24 + 56) in commune B, March 40 (12 + 28) here: 200 / 3 = 66.67
    moved = results[cadre.pk]
    assert [m["month"] for m in moved.months] == [1, 2, 3]
    assert [m["sent_along"] for m in moved.months] == [True, True, False]
    assert (moved.total, moved.grade, moved.months_counted) == (Decimal("66.67"), "done", 3)
    assert results[world.cadre_a.pk].total == Decimal(60)  # 18 + 42
    assert AuditEvent.objects.filter(action="evaluation.year.compute").count() == 1
    again = year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
    assert len(again) == 2  # recomputed in place, never doubled


def test_a_month_on_leave_is_not_counted_in_the_year(world):
    jan = open_month(world, D(2026, 1, 1))
    conclude_month(jan, [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    feb = open_month(world, D(2026, 2, 1))
    services.sheet_leave(actor=world.commune_a_leader, sheet=sheet_of(feb, world.cadre_a.pk), on_leave=True,
                         days_worked=0)
    services.month_conclude(actor=world.commune_a_leader, month=feb)
    (result,) = year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
    assert (result.total, result.months_counted) == (Decimal(80), 1)


def _moved_in_march(world, b_leader):
    """cadre_b: January and February concluded in commune B (80 each), moved to commune A, March here (40)."""
    for m in (1, 2):
        conclude_month(_open_b(world, D(2026, m, 1)), [(world.commune_b_admin, world.cadre_b.pk, 24)], b_leader)
    cadre = world.cadre_b
    cadre.agency, cadre.unit = world.agency_a, world.commune_a
    cadre.save()
    march = open_month(world, D(2026, 3, 1))
    conclude_month(march, [(world.commune_a_cadre, world.cadre_a.pk, 18),
                           (world.commune_b_admin, cadre.pk, 12)], world.commune_a_leader)
    return cadre


def test_the_year_takes_the_transfer_rule_of_the_rubric_version_in_force(world, b_leader):
    province_rubric(world, transfer={"month": "more_days", "sent_along": False})
    cadre = _moved_in_march(world, b_leader)
    results = {r.cadre_id: r for r in year_services.annual_compute(actor=world.commune_a_leader,
                                                                   agency=world.agency_a, year=2026)}
    # the old unit's months are not sent along by this rubric: March alone, 12 + 28 = 40
    moved = results[cadre.pk]
    assert [m["month"] for m in moved.months] == [3]
    assert (moved.total, moved.grade, moved.months_counted) == (Decimal(40), "failed", 1)
    assert moved.rubric.name == "Bộ tiêu chí của tỉnh"


def test_the_year_takes_the_leave_rule_of_the_rubric_version_in_force(world):
    province_rubric(world, leave={"month": "excluded", "min_days": 10},
                    annual={"rule": "months", "min_months": 0, "deadline_day": 15, "deadline_month": 12})
    jan = open_month(world, D(2026, 1, 1))
    conclude_month(jan, [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    feb = open_month(world, D(2026, 2, 1))
    services.sheet_leave(actor=world.commune_a_leader, sheet=sheet_of(feb, world.cadre_a.pk), on_leave=False,
                         days_worked=9)
    conclude_month(feb, [(world.commune_a_cadre, world.cadre_a.pk, 12)], world.commune_a_leader)
    (result,) = year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
    # February, 9 days worked of the 10 the rubric asks, is a month on leave: January's 80 alone
    assert (result.total, result.months_counted) == (Decimal(80), 1)
    assert [(m["month"], m["worked"]) for m in result.months] == [(1, True), (2, False)]


def test_titles_follow_the_years_grade_and_a_commendation_awards_the_proposal(world):
    jan = open_month(world, D(2026, 1, 1))
    conclude_month(jan, [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    (result,) = year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
    with pytest.raises(ValidationError):  # good is not enough for Chiến sĩ thi đua cơ sở
        year_services.title_propose(actor=world.commune_a_leader, annual=result, title="cstdcs")
    with pytest.raises(PermissionDenied):
        year_services.title_propose(actor=world.other_province_leader, annual=result, title="ldtt")
    proposal = year_services.title_propose(actor=world.commune_a_leader, annual=result, title="ldtt")
    with on(D(2026, 12, 19)), pytest.raises(ValidationError) as err:
        year_services.commendation_record(actor=world.commune_a_leader, cadre=world.cadre_a, number=" ",
                                          date=D(2026, 12, 20), level="nowhere", reason="")
    assert set(err.value.message_dict) == {"number", "level", "reason", "date"}  # not after today
    with on(D(2026, 12, 21)):
        decision = year_services.commendation_record(
            actor=world.commune_a_leader, cadre=world.cadre_a, number="12/QĐ-UBND", date=D(2026, 12, 20),
            level="commune", reason="Lao động tiên tiến 2026", proposal=proposal)
        with pytest.raises(ValidationError) as again:  # the same decision twice for the cadre
            year_services.commendation_record(actor=world.commune_a_leader, cadre=world.cadre_a,
                                              number="12/QĐ-UBND", date=D(2026, 12, 20), level="commune",
                                              reason="Lần nữa")
    assert "number" in again.value.message_dict
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision) == (ProposalStatus.AWARDED, decision)
    # one register: the commendation is the campaigns' decision, on no model, of the cadre
    assert Decision.objects.get() == decision
    assert (decision.model, decision.cadre, decision.unit, decision.status) == (None, world.cadre_a, world.commune_a,
                                                                                "commended")
    assert AuditEvent.objects.filter(action="decision.commend", object_id=str(decision.pk)).exists()
    register = queries.commendations(world.commune_a_leader, 2026)
    assert [(c.number, c.source) for c in register] == [("12/QĐ-UBND", "evaluation")]
    assert [d.pk for d in decisions_register(unit_paths=[world.commune_a.path])] == [decision.pk]
    assert queries.commendations(world.other_province_leader, 2026) == []


def test_the_year_needs_concluded_months(world):
    with pytest.raises(ValidationError):
        year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
