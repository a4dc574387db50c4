"""A leader's initiatives: recorded at step 2 (the assessor) or step 3 (the leadership) with what they
were — plans records none — and they make the organising criterion 100% (Decree 335)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.evaluation import queries, scoring, services
from gandan.evaluation.testing import open_month, self_assess, sheet_of
from gandan.people.testing import make_cadre
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def led(world):
    """cadre_a manages one cadre, so cadre_a's sheet is a leader's."""
    managed = make_cadre(world.agency_a, "Ma Văn Tú", manager=world.cadre_a)
    month = open_month(world)
    managed_sheet = sheet_of(month, managed.pk)  # on leave: not graded, so no managed cadre failed
    services.sheet_leave(actor=world.commune_a_leader, sheet=managed_sheet, on_leave=True, days_worked=0)
    return month, sheet_of(month, world.cadre_a.pk), managed_sheet


def _leader_row(month, sheet_id):
    result = scoring.conclusion(month, queries.month_sheets(month))
    return next(r for r in result.rows if r.sheet.pk == sheet_id)


def test_initiatives_make_organising_100_percent_and_are_recorded_with_what_they_were(world, led):
    month, leader_sheet, managed_sheet = led
    assert leader_sheet.is_leader and not managed_sheet.is_leader
    with on(dt.date(2026, 4, 2)):
        self_assess(leader_sheet, world.commune_a_cadre, 30)
    # general 30/30 → personal ratio 1; no unit tasks: unit results 1, organising 0.5 without initiatives;
    # direction (1 + 0.5) / 2 = 0.75; tasks (0.5 × 1 + 0.5 × 0.75) × 70 = 61.25; total 91.25
    before = _leader_row(month, leader_sheet.pk).score
    assert (before.direction, before.tasks, before.total) == (Decimal("75.00"), Decimal("61.25"), Decimal("91.25"))
    with pytest.raises(PermissionDenied):
        services.sheet_initiatives(actor=world.commune_a_cadre, sheet=leader_sheet, initiatives=True, reason="Tự")
    with pytest.raises(ValidationError) as err:
        services.sheet_initiatives(actor=world.commune_a_leader, sheet=leader_sheet, initiatives=True, reason=" ")
    assert list(err.value.message_dict) == ["initiatives_reason"]
    with pytest.raises(ValidationError) as err:
        services.sheet_initiatives(actor=world.commune_a_leader, sheet=managed_sheet, initiatives=True, reason="X")
    assert list(err.value.message_dict) == ["initiatives"]
    services.sheet_initiatives(actor=world.commune_a_leader, sheet=leader_sheet, initiatives=True,
                               reason="Số hóa hồ sơ một cửa")
    # organising 1 → direction 1; tasks 70; total 100
    after = _leader_row(month, leader_sheet.pk).score
    assert (after.direction, after.tasks, after.total) == (Decimal("100.00"), Decimal("70.00"), Decimal("100.00"))
    event = AuditEvent.objects.get(action="evaluation.sheet.initiatives")
    assert event.after == {"initiatives": True, "initiatives_reason": "Số hóa hồ sơ một cửa"}


def test_the_sheet_page_records_initiatives_for_a_leaders_sheet_only(world, led, client_as):
    month, leader_sheet, managed_sheet = led
    client = client_as(world.commune_a_leader)
    page = client.get(reverse("evaluation-sheet", args=[leader_sheet.pk])).content.decode()
    assert 'data-testid="initiatives-form"' in page and 'name="initiatives_reason"' in page
    assert 'data-testid="initiatives-form"' not in client.get(
        reverse("evaluation-sheet", args=[managed_sheet.pk])).content.decode()
    client.post(reverse("evaluation-sheet-initiatives", args=[leader_sheet.pk]),
                {"initiatives": "1", "initiatives_reason": "Mô hình dân vận khéo"})
    leader_sheet.refresh_from_db()
    assert (leader_sheet.initiatives, leader_sheet.initiatives_reason) == (True, "Mô hình dân vận khéo")
    own = client_as(world.commune_a_cadre).get(reverse("evaluation-sheet", args=[leader_sheet.pk])).content.decode()
    assert 'data-testid="initiatives-shown"' in own and "Mô hình dân vận khéo" in own
