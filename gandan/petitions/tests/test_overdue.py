"""The hourly overdue job: overdue concerns go one level up and the lapsed holder's leaders are told;
at the top, the leaders are reminded once a day. Tested on the plain service the task wraps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.petitions import overdue, services, tasks
from gandan.petitions.models import Notification, Petition, PetitionHolding
from gandan.petitions.testing import province_committee_agency, receive

pytestmark = pytest.mark.django_db


def lapse(petition: Petition, *, accept: bool = False, hours: int = 2) -> None:
    past = timezone.now() - dt.timedelta(hours=hours)
    fields = {"accept_due_at": past} if accept else {"due_at": past, "accept_due_at": past}
    Petition.objects.filter(pk=petition.pk).update(**fields)
    PetitionHolding.objects.filter(petition=petition, ended_at__isnull=True).update(**fields)


def test_an_overdue_concern_goes_one_level_up_and_the_commune_leader_is_told(world):
    committee = province_committee_agency(world)
    petition = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world))
    lapse(petition)

    report = overdue.escalate_overdue()

    assert report.escalated == 1
    petition.refresh_from_db()
    assert (petition.status, petition.holder_unit, petition.holder_agency) == ("escalated", world.province, committee)
    assert petition.due_at > timezone.now()  # a fresh deadline at the new level
    assert list(PetitionHolding.objects.filter(petition=petition).values_list("outcome", flat=True)) == ["overdue", ""]
    event = petition.events.get(action="auto_escalate")
    assert event.actor is None and "Quá hạn" in event.note
    told = Notification.objects.filter(petition=petition, kind="overdue").values_list("recipient", flat=True)
    assert world.commune_a_leader.pk in set(told)


def test_a_concern_not_taken_up_in_time_is_overdue_too(world):
    petition = receive(world)
    lapse(petition, accept=True)
    assert overdue.escalate_overdue().escalated == 1
    assert Petition.objects.get(pk=petition.pk).status == "escalated"


def test_concerns_within_their_deadline_and_answered_ones_are_left_alone(world):
    on_time = receive(world)
    answered = services.petition_answer(actor=world.commune_a_leader, text="Đã sửa", petition=services.petition_accept(
        actor=world.commune_a_leader, petition=receive(world, text="Khác")))
    lapse(answered)
    assert overdue.escalate_overdue().escalated == 0
    assert Petition.objects.get(pk=on_time.pk).status == "received"
    assert Petition.objects.get(pk=answered.pk).status == "answered"


def test_a_department_that_lets_a_concern_lapse_hands_it_to_the_province_committee(world):
    committee = province_committee_agency(world)
    petition = services.petition_transfer(actor=world.commune_a_leader, note="Sở",
                                          petition=services.petition_accept(actor=world.commune_a_leader,
                                                                            petition=receive(world, field="land")))
    lapse(petition)
    overdue.escalate_overdue()
    petition.refresh_from_db()
    assert (petition.holder_agency, petition.status) == (committee, "escalated")
    assert world.department_handler.pk in set(Notification.objects.filter(
        petition=petition, kind="overdue").values_list("recipient", flat=True))


def test_at_the_top_the_leaders_are_reminded_once_a_day(world):
    province_committee_agency(world)
    petition = receive(world, unit=world.province, actor=world.province_committee)
    lapse(petition)
    assert overdue.escalate_overdue().reminded == 1
    assert overdue.escalate_overdue().reminded == 0
    assert Notification.objects.filter(petition=petition, kind="overdue").count() == 1
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert overdue.escalate_overdue(now=later).reminded == 1


def test_a_concern_a_handler_just_acted_on_is_skipped(world, monkeypatch):
    petition = receive(world)
    lapse(petition, accept=True)

    def conflict(**kwargs):
        raise services.Conflict("someone acted")

    monkeypatch.setattr(services, "petition_escalate", conflict)
    assert overdue.escalate_overdue().skipped == 1


def test_the_hourly_task_is_the_same_service(world):
    petition = receive(world)
    lapse(petition, accept=True)
    assert tasks.escalate_overdue_concerns.call_local() == 1
    assert tasks.escalate_overdue_concerns.call_local() == 0
