"""The demo extension: default rules, province cadres on communes, commune cadres on villages and
households, realistic gaps and overloads, history; deterministic, idempotent, audited."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction
from django.db.models import Count

from gandan.assignments.coverage_queries import level_tallies
from gandan.assignments.models import Assignment, AssignmentRule
from gandan.assignments.queries import followed_households, followed_units
from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.demo import assignments as demo
from gandan.demo.testing import COMMUNES, demo_province, quiet
from gandan.org.models import AdminUnit
from gandan.people.models import Cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return demo_province(scale=0.3, communes=(*COMMUNES, ("02269", "Xã Thượng Lâm")))


def digest() -> str:
    rows = Assignment.objects.order_by("cadre__code", "unit__code", "household__code", "start", "role").values_list(
        "cadre__code", "unit__code", "household__code", "role", "start", "end")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_the_demo_assigns_with_realistic_gaps(province):
    counts = demo.extend(province, seed=7, progress=quiet)
    assert set(AssignmentRule.objects.values_list("agency_level", "target_level")) == {
        ("province", "commune"), ("commune", "village"), ("commune", "household")}
    made = [n for what, n in counts.items() if "lịch sử" not in what]  # history rows are village rows
    assert sum(made) == Assignment.objects.count() > 100
    tallies = level_tallies(province)
    assert tallies["commune"].covered >= 2
    assert 0 < tallies["village"].gaps < tallies["village"].total / 2  # some villages uncovered
    thuong_lam = level_tallies(AdminUnit.objects.get(code="02269"))  # four cadres, as most communes have
    assert thuong_lam["household"].covered < thuong_lam["household"].total / 4  # most households uncovered
    assert Assignment.objects.filter(end__isnull=False).exists()  # history
    assert Assignment.objects.filter(role="supporting").exists()
    heavy = (Assignment.objects.active().primary().filter(household__isnull=False).values("cadre")
             .annotate(n=Count("pk")).filter(n__gt=40))
    assert heavy.exists()  # a few cadres above the cap of 40 households
    assert {e.action for e in AuditEvent.objects.filter(action__startswith="demo.assignments_")} == {
        "demo.assignments_communes", "demo.assignments_villages", "demo.assignments_households"}
    assert verify_chain().ok


def test_the_demo_cadre_login_follows_a_village_and_households(province):
    demo.extend(province, seed=7, progress=quiet)
    code, kind, position = demo.PERSONA
    persona = Cadre.objects.filter(agency__unit__code=code, agency__kind=kind,
                                   position__startswith=position).order_by("code").first()
    assert followed_units(persona).filter(level__code="village").exists()
    assert followed_households(persona).exists()


def test_the_demo_is_deterministic_and_idempotent(province):
    with transaction.atomic():
        demo.extend(province, seed=7, progress=quiet)
        first = digest()
        transaction.set_rollback(True)
    assert not Assignment.objects.exists()
    demo.extend(province, seed=7, progress=quiet)
    assert digest() == first
    assert demo.extend(province, seed=7, progress=quiet) == {}
