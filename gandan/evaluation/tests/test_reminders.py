"""Reminders of late steps: once a day per recipient, month and step, against the rubric's deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.evaluation import reminders
from gandan.evaluation.models import EvaluationReminder
from gandan.evaluation.testing import open_month, self_assess, sheet_of

pytestmark = pytest.mark.django_db
D = dt.date


def test_each_late_step_reminds_its_person_once_a_day(world):
    month = open_month(world)  # March 2026: steps due 3, 5 and 8 April
    assert reminders.send_reminders(D(2026, 4, 3))["written"] == 0
    assert reminders.send_reminders(D(2026, 4, 4)) == {"step1": 1, "step2": 0, "step3": 0, "written": 1}
    assert reminders.send_reminders(D(2026, 4, 4))["written"] == 0
    (notice,) = EvaluationReminder.objects.all()
    assert notice.recipient == world.commune_a_cadre and "03/2026" in notice.message
    self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 20)
    # no direct manager: the sheet waits for the leaders, who are reminded when the conclusion is late
    result = reminders.send_reminders(D(2026, 4, 9))
    assert (result["step1"], result["step3"]) == (0, 1)
    assert EvaluationReminder.objects.filter(step=3, recipient=world.commune_a_leader).exists()
