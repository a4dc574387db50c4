"""The steps on a concern from its page, one POST-only view each: a step changes the concern and comes
back to its page; bad input comes back with the field's error and what was typed; an outsider gets
the 404 of a missing concern; a GET is refused; and in every refusal the concern is unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.petitions import services
from gandan.petitions.models import Petition
from gandan.petitions.testing import ROAD, province_committee_agency, receive

pytestmark = pytest.mark.django_db
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]
STEPS = ["petitions-accept", "petitions-handle", "petitions-escalate", "petitions-transfer", "petitions-answer",
         "petitions-route-out", "petitions-merge", "petitions-rate"]
MISSING = 987654


def accepted(world) -> Petition:
    return services.petition_accept(actor=world.commune_a_leader, petition=receive(world))


def answered(world) -> Petition:
    return services.petition_answer(actor=world.commune_a_leader, petition=accepted(world), text="Đã sửa xong")


def ready(world, name: str) -> Petition:
    """A concern in a state where the step `name` is allowed."""
    makers: dict[str, Callable[..., Petition]] = {"petitions-accept": receive, "petitions-rate": answered}
    return makers.get(name, accepted)(world)


def post(client, name: str, petition: Petition, data: dict | None = None):
    return client.post(reverse(name, args=[petition.pk]), {"version": petition.version, **(data or {})})


def state(petition: Petition) -> tuple:
    """What a refused step must leave as it was."""
    petition.refresh_from_db()
    return petition.status, petition.version, petition.holder_unit_id, petition.holder_agency_id, \
        petition.events.count()


# -- each step changes the concern and redirects to its page -------------------------------------------
def test_accepting_from_the_page(world, client_as):
    petition = receive(world)
    response = post(client_as(world.commune_a_leader), "petitions-accept", petition, {"note": "Xã nhận"})
    assert response.status_code == 302 and response["Location"] == reverse("petitions-detail", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.events.get(action="accept").note == "Xã nhận"


def test_handling_from_the_page(world, client_as):
    petition = accepted(world)
    response = post(client_as(world.commune_a_leader), "petitions-handle", petition)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "handling"


def test_escalating_from_the_page_names_the_new_holder(world, client_as):
    committee = province_committee_agency(world)
    petition = accepted(world)
    client = client_as(world.commune_a_leader)
    response = post(client, "petitions-escalate", petition, {"note": "Cần kinh phí của tỉnh"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.holder_agency) == ("escalated", committee)
    page = client.get(response["Location"]).content.decode()
    assert f"Đã chuyển cấp trên: {committee.name}." in page


def test_transferring_from_the_page_to_the_chosen_department(world, client_as):
    petition = services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land"))
    response = post(client_as(world.commune_a_leader), "petitions-transfer", petition, {
        "agency": world.agency_province.pk, "note": "Thuộc thẩm quyền của Sở"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.holder_agency) == ("transferred", world.agency_province)


def test_answering_from_the_page_with_a_document(world, client_as):
    petition = accepted(world)
    response = post(client_as(world.commune_a_leader), "petitions-answer", petition, {
        "text": "Xã đã sửa đoạn đường.", "files": SimpleUploadedFile("cv.pdf", b"%PDF-1.4")})
    assert response.status_code == 302
    petition.refresh_from_db()
    answer = petition.answers.get()
    assert petition.status == "answered" and answer.text == "Xã đã sửa đoạn đường."
    assert [d.name for d in answer.documents.all()] == ["cv.pdf"]


def test_routing_out_from_the_page(world, client_as):
    petition = receive(world)
    response = post(client_as(world.commune_a_leader), "petitions-route-out", petition, {
        "kind": "denunciation", "reason": "Tố cáo cán bộ: chuyển Thanh tra huyện"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.kind, petition.kind_reason) == (
        "routed_out", "denunciation", "Tố cáo cán bộ: chuyển Thanh tra huyện")


def test_merging_from_the_page_into_a_visible_concern(world, client_as):
    first, duplicate = receive(world), receive(world, text="Đường Nậm Lìn sạt lở, xe không qua được")
    response = post(client_as(world.commune_a_leader), "petitions-merge", duplicate, {"target": first.code.lower()})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", first)


CALL = {"evidence": "call", "call_at": "10/03/2026 09:00", "call_number": "0911 000 111",
        "evidence_note": "Bà con nói đường đã sửa xong"}


@pytest.mark.parametrize(("choice", "status"), [("yes", "closed"), ("no", "reopened")])
def test_recording_the_citizens_rating_from_the_page(world, client_as, choice, status, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    province_committee_agency(world)
    petition = answered(world)
    response = post(client_as(world.province_committee), "petitions-rate", petition, {
        "satisfied": choice, "comment": "Người dân gọi điện báo", **CALL})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == status
    rating = petition.answers.get().rating
    assert (rating.comment, rating.by_citizen, rating.evidence, rating.call_number) == (
        "Người dân gọi điện báo", False, "call", "0911 000 111")


# -- bad input: the page again, with the field's error and what was typed; nothing changes ------------
def test_an_escalation_without_a_reason_marks_the_note(world, client_as):
    petition = accepted(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-escalate", petition, {"note": "  "})
    assert response.status_code == 400
    assert response.context["form"].has_error("note")
    assert 'id="escalate-note" name="note"' in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert state(petition) == before


def test_a_transfer_to_an_unknown_agency_is_refused(world, client_as):
    petition = accepted(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-transfer", petition, {
        "agency": MISSING, "note": "Giữ lý do này"})
    assert response.status_code == 400 and response.context["form"].has_error("agency")
    assert "Giữ lý do này" in response.content.decode()
    assert state(petition) == before


def test_an_empty_answer_keeps_the_page_and_says_why(world, client_as):
    petition = accepted(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-answer", petition, {"text": " "})
    assert response.status_code == 400 and response.context["form"].has_error("text")
    assert "Hãy viết nội dung trả lời" in response.content.decode()
    assert state(petition) == before and not petition.answers.exists()


def test_routing_out_as_an_unknown_kind_is_refused(world, client_as):
    petition = receive(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-route-out", petition, {
        "kind": "concern", "reason": "Lý do đã gõ"})
    assert response.status_code == 400 and response.context["form"].has_error("kind")
    assert "Lý do đã gõ" in response.content.decode()
    assert state(petition) == before


@pytest.mark.parametrize("code", ["", "PAKN.20000101.0001"])
def test_merging_into_a_code_not_found_keeps_the_code_typed(world, client_as, code):
    petition = receive(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-merge", petition, {"target": code})
    assert response.status_code == 400 and response.context["form"].has_error("target")
    assert "Không tìm thấy phản ánh có mã này trong phạm vi của bạn." in response.content.decode()
    assert f'value="{code}"' in response.content.decode()
    assert state(petition) == before


def test_merging_into_a_concern_outside_the_scope_is_refused_like_an_unknown_code(world, client_as):
    foreign = services.petition_receive(actor=None, unit=world.village_b1, text=ROAD, field="infrastructure")
    petition = receive(world)
    before = state(petition)
    response = post(client_as(world.commune_a_leader), "petitions-merge", petition, {"target": foreign.code})
    assert response.status_code == 400
    assert response.context["form"].errors["target"] == [
        "Không tìm thấy phản ánh có mã này trong phạm vi của bạn."]
    assert state(petition) == before and state(foreign)[0] == "received"


def test_a_rating_without_a_choice_is_refused_not_taken_as_unsatisfied(world, client_as):
    petition = answered(world)
    before = state(petition)
    response = post(client_as(world.province_committee), "petitions-rate", petition, {"comment": "Giữ ý kiến"})
    assert response.status_code == 400 and response.context["form"].has_error("satisfied")
    assert "Giữ ý kiến" in response.content.decode()
    assert state(petition) == before


def test_a_forged_version_is_refused_and_nothing_changes(world, client_as):
    petition = receive(world)
    before = state(petition)
    response = client_as(world.commune_a_leader).post(reverse("petitions-accept", args=[petition.pk]),
                                                      {"version": "hai"})
    assert response.status_code == 400 and response.context["form"].has_error("version")
    assert state(petition) == before


# -- stale pages, users who may not act, outsiders, GET ------------------------------------------------
def test_a_step_on_a_stale_page_gets_409_and_the_current_state(world, client_as):
    petition = receive(world)
    stale = petition.version
    services.petition_accept(actor=world.commune_a_cadre, petition=petition)
    before = state(petition)
    response = client_as(world.commune_a_leader).post(reverse("petitions-handle", args=[petition.pk]),
                                                      {"version": stale})
    assert response.status_code == 409
    assert response.context["p"].status == "accepted"
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert state(petition) == before


@pytest.mark.parametrize("name", STEPS)
def test_a_viewer_who_posts_a_step_is_refused_and_nothing_changes(world, client_as, name):
    petition, target = ready(world, name), receive(world)
    before, audits = state(petition), AuditEvent.objects.count()
    data = {"note": "x", "text": "x", "kind": "complaint", "reason": "x", "satisfied": "yes", "target": target.code}
    response = post(client_as(world.commune_a_viewer), name, petition, data)
    assert response.status_code == 403
    assert "Bạn " in response.context["conflict"]
    assert state(petition) == before and AuditEvent.objects.count() == audits


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("name", STEPS)
def test_every_step_answers_an_outsider_exactly_as_a_missing_concern(world, client_as, name, outsider):
    petition = ready(world, name)
    before = state(petition)
    client = client_as(getattr(world, outsider))
    data = {"version": petition.version, "note": "x", "text": "x", "satisfied": "yes"}
    hidden = client.post(reverse(name, args=[petition.pk]), data)
    missing = client.post(reverse(name, args=[MISSING]), data)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert state(petition) == before


@pytest.mark.parametrize("name", STEPS)
def test_a_step_is_post_only(world, client_as, name):
    petition = accepted(world)
    before = state(petition)
    assert client_as(world.commune_a_leader).get(reverse(name, args=[petition.pk])).status_code == 405
    assert state(petition) == before


def test_a_step_needs_a_login(world, client):
    petition = receive(world)
    response = client.post(reverse("petitions-accept", args=[petition.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert state(petition)[0] == "received"
