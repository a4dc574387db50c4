"""Each step of a concern: who may take it, where it leads, what it records (event, stint, audit,
notifications), and what two handlers acting at once get."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.models import AuditEvent
from gandan.people.models import Role
from gandan.people.testing import make_user
from gandan.petitions import services
from gandan.petitions.models import Notification, Petition, PetitionEvent, PetitionHolding
from gandan.petitions.testing import department, province_committee_agency, receive

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 answer"


def accepted(world, **extra):
    petition = receive(world, **extra)
    return services.petition_accept(actor=world.commune_a_cadre, petition=petition)


def test_accepting_makes_the_accepting_cadre_the_holder(world):
    petition = accepted(world)
    petition.refresh_from_db()
    assert (petition.status, petition.holder_cadre) == ("accepted", world.cadre_a)
    stint = PetitionHolding.objects.get(petition=petition)
    assert stint.accepted_at is not None and stint.cadre == world.cadre_a
    assert AuditEvent.objects.filter(action="petition.accept", object_id=str(petition.pk)).count() == 1


def test_a_viewer_may_not_act(world):
    petition = receive(world)
    with pytest.raises(PermissionDenied):
        services.petition_accept(actor=world.commune_a_viewer, petition=petition)
    petition.refresh_from_db()
    assert petition.status == "received" and petition.version == 1


def test_handling_locally_then_answering_with_documents(world):
    petition = services.petition_handle(actor=world.commune_a_leader, petition=accepted(world), note="Đã đi kiểm tra")
    doc = SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf")
    petition = services.petition_answer(actor=world.commune_a_leader, petition=petition,
                                        text="Xã đã sửa đoạn đường sạt lở.", files=[doc])
    petition.refresh_from_db()
    assert petition.status == "answered" and petition.answered_at is not None
    answer = petition.answers.get()
    assert (answer.unit, answer.agency) == (world.commune_a, world.agency_a)
    assert answer.text == "Xã đã sửa đoạn đường sạt lở."
    assert [d.name for d in answer.documents.all()] == ["cong-van.pdf"]
    stint = PetitionHolding.objects.get(petition=petition)
    assert (stint.outcome, stint.ended_at) == ("answered", petition.answered_at)
    assert list(petition.events.values_list("action", flat=True)) == ["receive", "accept", "handle", "answer"]


def test_an_empty_answer_is_refused_and_nothing_changes(world):
    petition = accepted(world)
    with pytest.raises(ValidationError):
        services.petition_answer(actor=world.commune_a_leader, petition=petition, text=" ")
    petition.refresh_from_db()
    assert petition.status == "accepted" and not petition.answers.exists()


def test_escalating_goes_to_the_committee_above_with_the_follower_and_both_hear_of_it(world):
    assignments = pytest.importorskip("gandan.assignments.testing")
    committee = province_committee_agency(world)
    assignments.make_assignment(world.cadre_province, unit=world.commune_a)
    leader = make_user("chu_tich_tinh", role=Role.LEADER, unit=world.province)
    follower_user = world.department_handler  # linked to cadre_province
    petition = services.petition_escalate(actor=world.commune_a_leader, petition=accepted(world),
                                          note="Cần kinh phí của tỉnh")
    petition.refresh_from_db()
    assert petition.status == "escalated" and petition.escalations == 1
    assert (petition.holder_unit, petition.holder_agency, petition.holder_cadre) == (
        world.province, committee, world.cadre_province)
    stints = list(PetitionHolding.objects.filter(petition=petition))
    assert [s.outcome for s in stints] == ["escalated", ""]
    assert stints[1].due_at == petition.due_at
    event = petition.events.get(action="escalate")
    assert (event.from_unit, event.to_unit, event.to_agency, event.note) == (
        world.commune_a, world.province, committee, "Cần kinh phí của tỉnh")
    assert set(Notification.objects.filter(petition=petition).values_list("recipient", flat=True)) == {
        leader.pk, world.province_committee.pk, follower_user.pk}


def test_escalating_needs_a_reason(world):
    petition = accepted(world)
    with pytest.raises(ValidationError):
        services.petition_escalate(actor=world.commune_a_leader, petition=petition, note="")
    petition.refresh_from_db()
    assert petition.status == "accepted"


def test_the_province_cannot_escalate_further_and_must_transfer_or_answer(world):
    province_committee_agency(world)
    petition = receive(world, unit=world.province, actor=world.province_committee)
    services.petition_accept(actor=world.province_committee, petition=petition)
    with pytest.raises(ValidationError):
        services.petition_escalate(actor=world.province_committee, petition=petition, note="lên nữa")


def test_transferring_goes_to_the_department_competent_for_the_field(world):
    petition = services.petition_transfer(actor=world.commune_a_leader, petition=accepted(world, field="land"),
                                          note="Thuộc thẩm quyền của Sở")
    petition.refresh_from_db()
    assert (petition.status, petition.holder_agency, petition.holder_unit) == (
        "transferred", world.agency_province, world.province)
    assert petition.holder_cadre is None
    # The department's handler takes it up and answers; the commune can no longer act on it.
    with pytest.raises(services.Conflict):
        services.petition_answer(actor=world.commune_a_leader, petition=petition, text="xã trả lời")
    services.petition_accept(actor=world.department_handler, petition=petition)
    with pytest.raises(PermissionDenied):
        services.petition_answer(actor=world.commune_a_leader, petition=petition, text="xã trả lời")
    services.petition_answer(actor=world.department_handler, petition=petition, text="Sở đã kiểm tra.")
    assert Petition.objects.get(pk=petition.pk).status == "answered"


def test_a_transfer_with_no_competent_department_asks_for_one(world):
    with pytest.raises(ValidationError) as caught:
        services.petition_transfer(actor=world.commune_a_leader, petition=accepted(world, field="education"),
                                   note="không rõ")
    assert "agency" in caught.value.message_dict


def test_a_transfer_to_a_department_of_another_province_is_refused(world):
    from gandan.org.testing import make_agency

    foreign = make_agency(world.other_province, "Sở Xây dựng Lào Cai", kind="department", fields=["infrastructure"])
    with pytest.raises(ValidationError):
        services.petition_transfer(actor=world.commune_a_leader, petition=accepted(world), note="x", agency=foreign)


def test_a_chosen_department_takes_it_when_the_field_was_wrong(world):
    roads = department(world)
    petition = services.petition_transfer(actor=world.commune_a_leader, petition=accepted(world, field="other"),
                                          note="Thực ra là đường", agency=roads)
    assert petition.holder_agency == roads


def test_a_satisfied_citizen_closes_the_concern(world):
    petition = services.petition_answer(actor=world.commune_a_leader, petition=accepted(world), text="Đã sửa")
    services.petition_rate(actor=None, petition=petition, satisfied=True, comment="Cảm ơn", pin=petition.pin)
    petition.refresh_from_db()
    assert petition.status == "closed" and petition.closed_at is not None
    assert PetitionHolding.objects.get(petition=petition).satisfied is True
    assert petition.ratings.get().by_citizen


def test_a_poor_rating_reopens_at_the_next_level_up(world):
    committee = province_committee_agency(world)
    petition = services.petition_answer(actor=world.commune_a_leader, petition=accepted(world), text="Đã xem")
    services.petition_rate(actor=None, petition=petition, satisfied=False, comment="Chưa sửa", pin=petition.pin)
    petition.refresh_from_db()
    assert (petition.status, petition.holder_unit, petition.holder_agency) == ("reopened", world.province, committee)
    assert [s.satisfied for s in PetitionHolding.objects.filter(petition=petition)] == [False, None]
    assert petition.ratings.get().by_citizen


def test_a_wrong_pin_rates_nothing(world):
    petition = services.petition_answer(actor=world.commune_a_leader, petition=accepted(world), text="Đã sửa")
    with pytest.raises(ValidationError):
        services.petition_rate(actor=None, petition=petition, satisfied=True, pin="000000" if petition.pin != "000000"
                               else "111111")
    petition.refresh_from_db()
    assert petition.status == "answered" and not petition.ratings.exists()


def test_a_complaint_is_routed_out_with_its_reason(world):
    petition = services.petition_route_out(actor=world.commune_a_leader, petition=receive(world), kind="complaint",
                                           reason="Khiếu nại quyết định thu hồi đất: theo Luật Khiếu nại")
    petition.refresh_from_db()
    assert (petition.status, petition.kind) == ("routed_out", "complaint")
    assert petition.kind_reason.startswith("Khiếu nại")
    assert PetitionHolding.objects.get(petition=petition).outcome == "routed_out"


@pytest.mark.parametrize(("kind", "reason"), [("concern", "lý do"), ("complaint", "")])
def test_routing_out_needs_a_complaint_or_denunciation_and_a_reason(world, kind, reason):
    petition = receive(world)
    with pytest.raises(ValidationError):
        services.petition_route_out(actor=world.commune_a_leader, petition=petition, kind=kind, reason=reason)
    assert Petition.objects.get(pk=petition.pk).status == "received"


def test_a_handler_merges_a_duplicate_which_keeps_a_pointer(world):
    first = receive(world)
    duplicate = receive(world, text="Đường thôn Nậm Lìn sạt lở, xe không qua được")
    services.petition_merge(actor=world.commune_a_leader, source=duplicate, target=first, note="Cùng một đoạn")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", first)
    assert list(first.duplicates.all()) == [duplicate]
    assert first.events.filter(action="merge_in").exists()
    with pytest.raises(ValidationError):
        services.petition_merge(actor=world.commune_a_leader, source=first, target=first)


def test_every_step_appends_an_event_and_an_audit_row(world):
    petition = accepted(world)
    services.petition_handle(actor=world.commune_a_leader, petition=petition)
    pin = petition.pin
    services.petition_answer(actor=world.commune_a_leader, petition=petition, text="Đã sửa")
    petition = Petition.objects.get(pk=petition.pk)
    services.petition_rate(actor=None, petition=petition, satisfied=True, pin=pin)
    actions = list(PetitionEvent.objects.filter(petition=petition).values_list("action", flat=True))
    assert actions == ["receive", "accept", "handle", "answer", "rate_satisfied"]
    audited = list(AuditEvent.objects.filter(object_type="petitions.petition", object_id=str(petition.pk))
                   .values_list("action", flat=True))
    assert audited == ["petition.receive", "petition.accept", "petition.handle", "petition.answer",
                       "petition.rate_satisfied"]
    assert Petition.objects.get(pk=petition.pk).version == 5


# -- two handlers at once --------------------------------------------------------------------------
def test_the_second_of_two_handlers_with_the_same_version_gets_a_conflict(world):
    """Deterministic interleaving: both loaded version 1; the leader answers... the cadre's accept lost."""
    petition = receive(world)
    seen_by_leader = Petition.objects.get(pk=petition.pk)
    seen_by_cadre = Petition.objects.get(pk=petition.pk)
    services.petition_accept(actor=world.commune_a_leader, petition=seen_by_leader, version=seen_by_leader.version)
    with pytest.raises(services.Conflict) as caught:
        services.petition_accept(actor=world.commune_a_cadre, petition=seen_by_cadre, version=seen_by_cadre.version)
    assert "tải lại" in str(caught.value)
    petition.refresh_from_db()
    assert petition.version == 2 and petition.events.filter(action="accept").count() == 1


def test_a_step_that_no_longer_fits_the_state_is_a_conflict(world):
    petition = accepted(world)
    stale = Petition.objects.get(pk=petition.pk)
    services.petition_escalate(actor=world.commune_a_leader, petition=petition, note="vượt thẩm quyền")
    with pytest.raises(services.Conflict):
        services.petition_answer(actor=world.commune_a_leader, petition=stale, text="trả lời muộn")
    assert not Petition.objects.get(pk=petition.pk).answers.exists()


def test_the_version_guard_catches_a_change_between_lock_and_write(world, monkeypatch):
    """Where the database has no row lock (SQLite), the version check on UPDATE still refuses the loser."""
    petition = receive(world)
    real_lock = services._lock

    def lock_then_someone_else_writes(p, action, version):
        locked = real_lock(p, action, version)
        Petition.objects.filter(pk=p.pk).update(version=locked.version + 1)
        return locked

    monkeypatch.setattr(services, "_lock", lock_then_someone_else_writes)
    with pytest.raises(services.Conflict):
        services.petition_accept(actor=world.commune_a_leader, petition=petition)
