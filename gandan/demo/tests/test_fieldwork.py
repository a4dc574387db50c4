"""The demo extension: six months of plausible field work, deterministic for a seed and a day,
idempotent, with a few visits to review, meetings with attendance and a few concerns heard."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction

from gandan.core.models import AuditEvent
from gandan.demo import fieldwork as demo
from gandan.demo.testing import demo_province, quiet
from gandan.fieldwork.flags import Flag
from gandan.fieldwork.models import Attendance, Meeting, Visit, VisitHousehold, VisitKind, VisitUnit
from gandan.fieldwork.queries import with_flags
from gandan.petitions.models import Petition

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 11, 20)


@pytest.fixture
def province():
    return demo_province()


def digest() -> str:
    rows = Visit.objects.order_by("client_uuid").values_list("client_uuid", "cadre__code", "date", "kind", "notes",
                                                             "latitude", "body_hash")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_six_months_of_visits_meetings_concerns_and_a_few_flags(province):
    counts = demo.extend(province, seed=7, progress=quiet, today=TODAY)

    visits = Visit.objects.filter(province=province)
    assert counts["lần đi cơ sở"] == visits.count() > 500
    assert visits.earliest("date").date >= dt.date(2025, 6, 1) and visits.latest("date").date <= TODAY
    field_days = visits.filter(kind=VisitKind.FIELD_DAY)
    assert field_days.exists() and all(d.weekday() == 3 for d in field_days.values_list("date", flat=True))
    assert visits.filter(kind=VisitKind.HOUSEHOLD_VISIT).exists()
    assert VisitHousehold.objects.exists()
    assert VisitUnit.objects.count() >= visits.count()
    assert Meeting.objects.filter(province=province).count() == counts["cuộc họp"] > 0
    assert Attendance.objects.count() == counts["lượt điểm danh"] > 0
    assert Petition.objects.filter(channel="visit").count() == counts["ý kiến"] > 0
    assert AuditEvent.objects.filter(action__startswith="demo.fieldwork").count() == 2
    flags = {f for v in with_flags(Visit.objects.all()) for f in v.flags}  # a few to review, of every kind
    assert flags == {Flag.GPS_FAR, Flag.LATE, Flag.MANY_IN_DAY}


def test_the_demo_is_deterministic_and_a_second_run_adds_nothing(province):
    with transaction.atomic():
        demo.extend(province, seed=7, progress=quiet, today=TODAY)
        first = digest()
        transaction.set_rollback(True)
    demo.extend(province, seed=7, progress=quiet, today=TODAY)
    assert digest() == first
    assert demo.extend(province, seed=7, progress=quiet, today=TODAY) == {}
