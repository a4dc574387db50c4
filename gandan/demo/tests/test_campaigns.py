"""The demo's year of campaigns: a weekend campaign and a Thursday one, whose events count as field
days, and a register of models; deterministic for a seed and a day, and idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from gandan.campaigns.models import Campaign, CampaignEvent, Decision, EventCadre, EventOutput, ExemplaryModel
from gandan.demo import campaigns as demo
from gandan.demo.testing import demo_province, quiet
from gandan.fieldwork.models import Visit, VisitKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 11, 20)


@pytest.fixture
def province():
    return demo_province()


def digest() -> str:
    rows = CampaignEvent.objects.order_by("client_uuid").values_list(
        "client_uuid", "date", "unit__code", "agency__name", "citizens", "cadre_participations", "notes")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_a_year_of_weekend_and_thursday_events_and_a_models_register_deterministic_and_idempotent(province):
    counts = demo.extend(province, seed=7, progress=quiet, today=TODAY)
    weekend = Campaign.objects.get(name="Ngày cuối tuần cùng dân")
    thursdays = Campaign.objects.get(name="Thứ Năm hằng tuần xuống thôn, bản")
    events = CampaignEvent.objects.all()
    assert counts["đợt"] == events.count() > 50
    assert all(d.weekday() >= 5 for d in events.filter(campaign=weekend).values_list("date", flat=True))
    assert all(d.weekday() == 3 for d in events.filter(campaign=thursdays).values_list("date", flat=True))
    assert events.earliest("date").date >= TODAY - dt.timedelta(days=365) and events.latest("date").date <= TODAY
    assert EventOutput.objects.filter(event__campaign=thursdays, indicator__code="gardens_renovated").exists()
    links = EventCadre.objects.all()
    assert links.filter(visit__isnull=True).count() == 0
    assert Visit.objects.filter(pk__in=links.values("visit"), kind=VisitKind.FIELD_DAY).count() == links.count()
    assert ExemplaryModel.objects.count() == counts["mô hình"] > 5
    assert Decision.objects.filter(status__in=("praised", "commended")).exists()

    first, visits = digest(), Visit.objects.count()
    assert demo.extend(province, seed=7, progress=quiet, today=TODAY) == {}
    EventCadre.objects.all().delete()
    EventOutput.objects.all().delete()
    CampaignEvent.objects.all().delete()
    Decision.objects.all().delete()
    ExemplaryModel.objects.all().delete()
    Campaign.objects.all().delete()
    demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert digest() == first and Visit.objects.count() == visits  # the same field-day visits, found again
