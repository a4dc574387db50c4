"""Recording events: idempotent by client UUID, and each named cadre's field day counted by field work."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.campaigns import services
from gandan.campaigns.inputs import EventChange
from gandan.campaigns.models import CampaignEvent, EventCadre
from gandan.campaigns.testing import event_in, make_campaign, make_event
from gandan.core.models import AuditEvent
from gandan.fieldwork.models import Visit, VisitKind, VisitUnit
from gandan.fieldwork.queries import compliance_for
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db


def change(data, **overrides) -> EventChange:
    return EventChange(**{**data.model_dump(exclude={"client_uuid", "campaign_id"}), **overrides})


def test_an_event_gives_each_named_cadre_one_field_day_visit_at_its_place(world):
    second = make_cadre(world.agency_a, "Hoàng Thị Lan")
    campaign = make_campaign(world)
    event = make_event(world, campaign, actor=world.commune_a_cadre, cadre_ids=[world.cadre_a.pk, second.pk])
    visits = Visit.objects.filter(cadre__in=[world.cadre_a, second])
    assert visits.count() == 2
    assert {v.kind for v in visits} == {VisitKind.FIELD_DAY} and {v.date for v in visits} == {event.date}
    assert set(VisitUnit.objects.filter(visit__in=visits).values_list("unit_id", flat=True)) == {world.village_a1.pk}
    links = EventCadre.objects.filter(event=event)
    assert {(link.cadre_id, link.visit_id) for link in links} == {(v.cadre_id, v.pk) for v in visits}
    assert AuditEvent.objects.filter(action="campaign_event.record", object_id=str(event.pk)).count() == 1
    assert AuditEvent.objects.filter(action="visit.link_sync", object_id=str(event.client_uuid)).count() == 1


def test_field_work_compliance_counts_the_event_as_a_field_day(world):
    campaign = make_campaign(world)
    make_event(world, campaign, date=dt.date(2026, 3, 7))
    make_event(world, campaign, date=dt.date(2026, 3, 14))
    report = compliance_for(world.province_committee, dt.date(2026, 3, 1), cadre_ids=[world.cadre_a.pk])
    [row] = report.cadres
    assert (row.activity.field_days, row.activity.visits) == (2, 2)


def test_a_retry_with_the_same_uuid_and_body_writes_nothing_and_another_body_conflicts(world):
    campaign = make_campaign(world)
    data = event_in(world, campaign)
    event, created = services.event_record(actor=None, campaign=campaign, data=data)
    audits = AuditEvent.objects.count()
    again, created_again = services.event_record(actor=None, campaign=campaign, data=data)
    assert (created, created_again, again.pk) == (True, False, event.pk)
    assert AuditEvent.objects.count() == audits and Visit.objects.count() == 1
    with pytest.raises(services.EventConflict):
        services.event_record(actor=None, campaign=campaign, data=data.model_copy(update={"citizens": 41}))
    assert CampaignEvent.objects.count() == 1


def test_a_correction_moves_adds_and_removes_the_field_day_visits_without_duplicates(world):
    second = make_cadre(world.agency_a, "Hoàng Thị Lan")
    third = make_cadre(world.agency_a, "Ma Văn Kiên")
    campaign = make_campaign(world)
    data = event_in(world, campaign, cadre_ids=[world.cadre_a.pk, second.pk])
    event, _ = services.event_record(actor=None, campaign=campaign, data=data)
    first_visit = Visit.objects.get(cadre=world.cadre_a)
    services.event_update(actor=world.commune_a_leader, event=event, data=change(
        data, date=dt.date(2026, 3, 8), unit_id=world.village_a2.pk, cadre_ids=[world.cadre_a.pk, third.pk]))
    visits = {v.cadre_id: v for v in Visit.objects.all()}
    assert set(visits) == {world.cadre_a.pk, third.pk}
    assert visits[world.cadre_a.pk].pk == first_visit.pk and visits[world.cadre_a.pk].date == dt.date(2026, 3, 8)
    assert set(VisitUnit.objects.values_list("unit_id", flat=True)) == {world.village_a2.pk}
    assert set(EventCadre.objects.values_list("cadre_id", "visit_id")) == {
        (pk, v.pk) for pk, v in visits.items()}
    services.event_update(actor=None, event=event, data=change(data, date=dt.date(2026, 3, 8),
                                                                unit_id=world.village_a2.pk,
                                                                cadre_ids=[world.cadre_a.pk, third.pk]))
    assert Visit.objects.count() == 2


def test_what_the_cadre_added_to_the_field_day_visit_survives_a_correction(world):
    campaign = make_campaign(world)
    data = event_in(world, campaign)
    event, _ = services.event_record(actor=None, campaign=campaign, data=data)
    Visit.objects.filter(cadre=world.cadre_a).update(findings={"security": "Ổn định"})
    services.event_update(actor=None, event=event, data=change(data, date=dt.date(2026, 3, 8)))
    assert Visit.objects.get(cadre=world.cadre_a).findings == {"security": "Ổn định"}


def test_deleting_an_event_deletes_its_field_day_visits(world):
    campaign = make_campaign(world)
    event = make_event(world, campaign)
    services.event_delete(actor=world.commune_a_leader, event=event)
    assert not CampaignEvent.objects.exists() and not Visit.objects.exists()
    assert AuditEvent.objects.filter(action="campaign_event.delete").count() == 1


def test_someone_of_another_agency_without_a_write_role_may_not_record(world):
    campaign = make_campaign(world, scope=[(world.province, True)])
    with pytest.raises(services.PermissionDenied):
        make_event(world, campaign, actor=world.commune_b_admin)  # unit admin of B: a write role, but not over A
    assert not CampaignEvent.objects.exists()
