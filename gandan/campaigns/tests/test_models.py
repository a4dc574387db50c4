"""The register of exemplary models: registered → recognised → praised or commended, with decisions."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.campaigns import model_queries, model_services
from gandan.campaigns.inputs import DecisionIn, ModelIn
from gandan.campaigns.models import Decision, ExemplaryModel
from gandan.campaigns.testing import make_campaign
from gandan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def model_in(world, **overrides) -> ModelIn:
    data = {"client_uuid": uuid.uuid4(), "unit_id": world.village_a1.pk, "holder_kind": "individual",
            "holder_name": "Sân Tiến Phúc", "cadre_id": world.cadre_a.pk, "title": "Cải tạo vườn tạp trồng cam",
            "field": "economy", "registered_on": dt.date(2026, 2, 1)}
    return ModelIn(**{**data, **overrides})


def decision(status, number="12/QĐ-UBND", date=dt.date(2026, 5, 1), level="commune") -> DecisionIn:
    return DecisionIn(status=status, number=number, date=date, level=level)


def test_a_model_goes_from_registered_to_commended_with_each_decision_recorded(world):
    model, created = model_services.model_register(actor=world.commune_a_cadre, data=model_in(world))
    assert created and model.status == "registered"
    for status in ("recognised", "praised", "commended"):
        model_services.model_decide(actor=world.commune_a_leader, model=model, data=decision(status))
    model.refresh_from_db()
    assert model.status == "commended"
    assert list(model.decisions.values_list("status", flat=True)) == ["recognised", "praised", "commended"]
    assert AuditEvent.objects.filter(action="exemplary_model.decide", object_id=str(model.pk)).count() == 3


def test_a_step_out_of_order_is_refused_naming_the_status(world):
    model, _ = model_services.model_register(actor=None, data=model_in(world))
    with pytest.raises(ValidationError) as caught:
        model_services.model_decide(actor=None, model=model, data=decision("commended"))
    assert "Được công nhận" in caught.value.message_dict["status"][0]
    assert not Decision.objects.exists()


def test_a_cadre_may_register_but_only_leaders_decide(world):
    model, _ = model_services.model_register(actor=world.commune_a_cadre, data=model_in(world))
    with pytest.raises(PermissionDenied):
        model_services.model_decide(actor=world.commune_a_cadre, model=model, data=decision("recognised"))


def test_registering_twice_with_one_uuid_is_one_model(world):
    data = model_in(world)
    first, _ = model_services.model_register(actor=None, data=data)
    again, created = model_services.model_register(actor=None, data=data)
    assert (again.pk, created, ExemplaryModel.objects.count()) == (first.pk, False, 1)
    with pytest.raises(model_services.ModelConflict):
        model_services.model_register(actor=None, data=data.model_copy(update={"title": "Khác"}))


def test_a_unit_outside_the_registrant_scope_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        model_services.model_register(actor=world.commune_b_admin, data=model_in(world, cadre_id=None))
    assert "unit_id" in caught.value.message_dict


def test_counts_by_status_field_unit_and_the_commendations_in_the_period(world):
    campaign = make_campaign(world)
    m1, _ = model_services.model_register(actor=None, data=model_in(world, campaign_id=campaign.pk))
    m2, _ = model_services.model_register(actor=None, data=model_in(
        world, unit_id=world.village_a2.pk, holder_kind="collective", holder_name="Chi hội phụ nữ thôn Cốc Pảng",
        cadre_id=None, field="new_rural"))
    model_services.model_register(actor=None, data=model_in(world, registered_on=dt.date(2025, 6, 1)))
    for status in ("recognised", "praised"):
        model_services.model_decide(actor=None, model=m1, data=decision(status))
    model_services.model_decide(actor=None, model=m2, data=decision("recognised"))
    year = model_queries.ModelFilters(unit=world.commune_a, date_from=dt.date(2026, 1, 1),
                                      date_to=dt.date(2026, 12, 31))
    counts = model_queries.model_counts(world.commune_a_leader, year)
    assert counts.total == 2
    assert counts.by_status == {"praised": 1, "recognised": 1}
    assert counts.by_field == {"economy": 1, "new_rural": 1}
    assert counts.by_kind == {"individual": 1, "collective": 1}
    assert [(u.name, n) for u, n in counts.by_unit] == [("Thôn Cốc Pảng", 1), ("Thôn Nậm Lìn", 1)]
    assert counts.commendations == {"individual": 1}
    whole = model_queries.model_counts(world.province_committee, model_queries.ModelFilters(
        date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)))
    assert [(u.name, n) for u, n in whole.by_unit] == [("Xã Nghĩa Thuận", 2)]  # the province's communes


def test_the_decisions_register_gives_evaluation_a_cadre_commendations(world):
    model, _ = model_services.model_register(actor=None, data=model_in(world))
    for status in ("recognised", "commended"):
        model_services.model_decide(actor=None, model=model, data=decision(status, number=f"{status}/QĐ"))
    [row] = model_queries.decisions_register(unit_paths=[world.province.path], date_from=dt.date(2026, 1, 1),
                                             cadre_ids=[world.cadre_a.pk])
    assert (row.status, row.number, row.model.cadre_id) == ("commended", "commended/QĐ", world.cadre_a.pk)
    assert not model_queries.decisions_register(unit_paths=[world.other_province.path]).exists()
