"""The demo's concerns: a realistic mix (most answered on time, some overdue, escalated, transferred,
reopened, routed out, merged), deterministic for a seed and a moment, idempotent, audited — built on
two real communes of province 08 to stay fast."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import contextmanager

import pytest
from django.utils import timezone
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from gandan.core.models import AuditEvent
from gandan.demo import petitions as demo
from gandan.demo.build import build_demo
from gandan.org.services import levels_ensure, unit_create
from gandan.petitions.models import DayCounter, Petition, PetitionEvent, PetitionHolding, Rating

pytestmark = pytest.mark.django_db
COMMUNES = ("00874", "00889")  # Quản Bạ and Nghĩa Thuận, featured: staffed and busy
NOW = timezone.make_aware(dt.datetime(2026, 3, 18, 15, 40))


class _Bar:
    def update(self, n: int = 1) -> None:
        pass


@contextmanager
def quiet(total, desc):
    yield _Bar()


@pytest.fixture
def province():
    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    prov = next(p for p in data if p["code"] == 8)
    levels = levels_ensure()
    province = unit_create(actor=None, level=levels["province"], code="08", name="Tỉnh Tuyên Quang",
                           division_type="tỉnh")
    for ward in prov["wards"]:
        if f"{ward['code']:05d}" in COMMUNES:
            unit_create(actor=None, level=levels["commune"], code=f"{ward['code']:05d}", name=ward["name"],
                        division_type=ward["division_type"], parent=province)
    build_demo(seed=7, scale=0.05)
    return province


def digest() -> str:
    rows = list(Petition.objects.order_by("code").values_list("code", "status", "field", "text", "holder_unit__code",
                                                               "due_at", "pin_hash"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_demo_mix_is_realistic(province):
    counts = demo.build(province, seed=7, progress=quiet, now=NOW)
    assert counts["phản ánh"] == Petition.objects.count() >= 200
    statuses = {s: Petition.objects.filter(status=s).count() for s in (
        "closed", "routed_out", "merged", "reopened", "answered", "handling", "received", "escalated")}
    total = Petition.objects.count()
    assert statuses["closed"] > total / 2  # mostly resolved
    assert statuses["routed_out"] and statuses["merged"]
    assert 0 < counts["quá hạn"] < total / 5
    outcomes = set(PetitionHolding.objects.values_list("outcome", flat=True))
    assert {"answered", "escalated", "transferred", "overdue", "routed_out", "merged"} <= outcomes
    assert PetitionEvent.objects.filter(action="rate_unsatisfied").exists()  # reopened after a poor rating
    assert Rating.objects.filter(satisfied=True).count() > Rating.objects.filter(satisfied=False).count()
    on_time = PetitionHolding.objects.filter(outcome="answered").count()
    assert on_time > total / 2
    assert Petition.objects.filter(merged_into__isnull=False).count() == statuses["merged"]
    assert Petition.objects.order_by("received_at").first().received_at >= NOW - dt.timedelta(days=183)
    assert Petition.objects.order_by("-received_at").first().received_at <= NOW


def test_the_demo_is_deterministic_idempotent_and_audited(province):
    demo.build(province, seed=7, progress=quiet, now=NOW)
    first = digest()
    assert demo.build(province, seed=7, progress=quiet, now=NOW) == {}
    assert AuditEvent.objects.filter(action="demo.petitions").count() == 1
    Petition.objects.filter(merged_into__isnull=False).update(merged_into=None)
    Petition.objects.all().delete()
    DayCounter.objects.all().delete()
    demo.build(province, seed=7, progress=quiet, now=NOW)
    assert digest() == first


def test_new_concerns_continue_the_days_numbering(province):
    demo.build(province, seed=7, progress=quiet, now=NOW)
    last_day = Petition.objects.order_by("-received_at").first()
    day = timezone.localtime(last_day.received_at).date()
    counter = DayCounter.objects.get(province=province, day=day)
    assert counter.last == Petition.objects.filter(code__startswith=f"PAKN.{day:%Y%m%d}.").count()
