from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gandan.assignments.models import Assignment
from gandan.campaigns.models import Campaign, CampaignEvent, EventCadre
from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.demo.gen import generate
from gandan.fieldwork.models import Visit, VisitHousehold, VisitUnit
from gandan.org.models import AdminUnit, Agency, Household
from gandan.org.services import levels_ensure, unit_create
from gandan.people.models import Cadre
from gandan.petitions.models import Petition, PetitionEvent, PetitionHolding
from gandan.plans.models import Plan, Task


@contextmanager
def quiet(total, desc):
    class Bar:
        def update(self, n=1):
            pass
    yield Bar()


@pytest.fixture
def country(db):
    """Two provinces of three communes each, as load-units would leave them."""
    levels = levels_ensure()
    for p in ("91", "92"):
        province = unit_create(actor=None, level=levels["province"], code=p, name=f"Tỉnh {p}")
        for c in range(3):
            unit_create(actor=None, level=levels["commune"], code=f"{p}00{c}", name=f"Xã {p}-{c}", parent=province)
    return AdminUnit.objects.filter(level__code="province")


def digest() -> list:
    return [list(Household.objects.order_by("id").values_list("code", "head_name", "village__code")),
            list(Visit.objects.order_by("id").values_list("client_uuid", "cadre__code", "date", "kind")),
            list(Petition.objects.order_by("id").values_list("code", "status", "received_at"))]


def test_a_small_scale_writes_a_whole_plausible_world_in_one_commune(country):
    summary = generate(scale=0.01, seed=3, bar=quiet)

    assert summary.provinces == 1 and summary.communes == 1
    villages = AdminUnit.objects.filter(level__code="village")
    commune = villages.first().parent
    assert villages.count() >= 1 and all(v.path.startswith(commune.path + ".") for v in villages)
    assert Household.objects.filter(village__in=villages).count() == Household.objects.count() > 100
    assert Cadre.objects.filter(unit=commune).count() >= 2
    visits = Visit.objects.count()
    assert visits > 100 and VisitUnit.objects.count() == visits
    assert VisitHousehold.objects.count() == Visit.objects.filter(kind="household_visit").count()
    assert all(d.year == 2025 for d in Visit.objects.values_list("date", flat=True))
    assert PetitionHolding.objects.count() == Petition.objects.count()
    assert Task.objects.exists() and CampaignEvent.objects.count() == 52 and EventCadre.objects.exists()
    assert Assignment.objects.filter(unit=commune).count() == 1
    assert summary.tables["visits"][0] == visits and summary.tables["visits"][1] > 0
    # The database's sequences carry on after the ids given: the application's own inserts still work.
    Household.objects.create(province=commune.province, village=villages.first(), code="NEW", head_name="A")
    # One audit event per province and table, and the chain holds.
    assert Counter(AuditEvent.objects.filter(action__startswith="gen.").values_list("action", flat=True))[
        "gen.visits"] == 1
    assert verify_chain().ok


def test_the_same_seed_gives_the_same_rows(country):
    generate(scale=0.005, seed=11, bar=quiet)
    first = digest()
    for model in (EventCadre, CampaignEvent, Campaign, Task, Plan, PetitionEvent, PetitionHolding, Petition,
                  VisitHousehold, VisitUnit, Visit, Assignment, Cadre, Agency, Household):
        model.objects.all().delete()
    AdminUnit.objects.filter(level__code="village").delete()
    generate(scale=0.005, seed=11, bar=quiet)
    assert digest() == first


def test_tracking_codes_follow_the_province_counter(country):
    generate(scale=0.02, seed=5, bar=quiet)
    codes = list(Petition.objects.values_list("code", flat=True))
    assert codes and len(set(codes)) == len(codes)
    assert all(c.split(".")[2] in {"91", "92"} for c in codes)


def test_the_command_prints_a_line_per_table_and_refuses_without_units(db):
    with pytest.raises(CommandError, match="load-units"):
        call_command("gen", "--scale", "0.01", verbosity=0)


def test_the_command_reports_each_table(country):
    out = StringIO()
    call_command("gen", "--scale", "0.005", "--seed", "2", verbosity=0, stdout=out)
    text = out.getvalue()
    assert "visits" in text and "households" in text and "petitions" in text


def test_a_scale_spread_over_provinces_gives_each_its_own_chain_and_counter(country):
    summary = generate(scale=0.01, seed=4, bar=quiet, provinces=2)

    assert summary.provinces == 2
    assert Visit.objects.values("province_id").distinct().count() == 2
    assert AuditEvent.objects.filter(action="gen.visits").values("chain").distinct().count() == 2
    assert verify_chain().ok
