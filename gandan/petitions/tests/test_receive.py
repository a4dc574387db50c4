"""Recording a concern: numbered, timed, held by the receiving commune, audited; retries never duplicate;
bad input changes nothing; only cadres and leaders over the place may record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gandan.core.models import AuditEvent
from gandan.petitions import queries, services
from gandan.petitions.models import Attachment, DayCounter, Petition, PetitionEvent, PetitionHolding
from gandan.petitions.testing import ROAD, receive

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.any_day
def test_a_concern_from_a_visit_is_numbered_timed_and_held_by_the_commune(world):
    petition = receive(world, source_ref="visit-1", household=world.household_a1, citizen_name="Vàng Seo Sử",
                       citizen_phone="0911 000 111")

    petition.refresh_from_db()
    assert re.fullmatch(r"PAKN\.\d{8}\.\w+\.\d{4}", petition.code)
    assert petition.code.split(".")[1] == timezone.localdate().strftime("%Y%m%d")
    assert petition.status == "received"
    assert petition.province == world.province and petition.unit == world.village_a1
    assert (petition.holder_unit, petition.holder_agency) == (world.commune_a, world.agency_a)
    assert petition.received_at <= petition.accept_due_at <= petition.due_at
    assert len(petition.pin) == 6 and petition.pin.isdigit()
    assert petition.created_by == world.commune_a_cadre
    stint = PetitionHolding.objects.get(petition=petition)
    assert (stint.unit, stint.agency, stint.due_at, stint.ended_at) == (world.commune_a, world.agency_a,
                                                                       petition.due_at, None)
    assert list(petition.events.values_list("action", "to_unit")) == [("receive", world.commune_a.pk)]


def test_each_province_numbers_its_own_concerns_of_the_day(world):
    first = receive(world)
    second = receive(world, text="Một phản ánh khác cùng ngày")
    other = receive(world, unit=world.other_commune, actor=world.other_province_leader, field="health",
                    text="Trạm y tế thiếu thuốc")
    day = timezone.localdate()
    assert first.code == f"PAKN.{day:%Y%m%d}.{world.province.code}.0001"
    assert second.code.endswith(".0002") and other.code.endswith(f".{other.province.code}.0001")
    assert first.code != other.code
    assert DayCounter.objects.get(province=world.province, day=day).last == 2
    assert DayCounter.objects.get(province_id=other.province_id, day=day).last == 1


def test_numbering_continues_from_a_counter_another_transaction_created(world):
    DayCounter.objects.create(province=world.province, day=timezone.localdate(), last=41)
    assert receive(world).code.endswith(".0042")


def test_a_retried_sync_returns_the_same_concern(world):
    first = receive(world, source_ref="3f1c2a8e-visit", channel="visit")
    again = receive(world, source_ref="3f1c2a8e-visit", channel="visit")
    other = receive(world, source_ref="3f1c2a8e-visit", channel="visit", text="Một ý kiến khác trong cùng chuyến")
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Petition.objects.count() == 2
    assert list(queries.petitions_from_source(["3f1c2a8e-visit", "nothing"])) == [first, other]


def test_a_retry_racing_the_first_insert_finds_it(world, monkeypatch):
    first = receive(world, source_ref="race")
    calls = {"n": 0}
    real_filter = Petition.objects.filter

    def blind_first_lookup(*args, **kwargs):
        # The retry's first look does not see the row yet (it was not committed): the insert collides.
        if "source_key" in kwargs and calls["n"] == 0:
            calls["n"] += 1
            return Petition.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Petition.objects, "filter", blind_first_lookup)
    assert receive(world, source_ref="race").pk == first.pk
    monkeypatch.undo()
    assert Petition.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"text": "   "}, "text"), ({"text": "x" * 4001}, "text"), ({"field": "weather"}, "field"),
    ({"urgency": "panic"}, "urgency"), ({"channel": "fax"}, "channel"), ({"citizen_phone": "call me"}, "citizen_phone"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, change, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        receive(world, **change)
    assert field in caught.value.message_dict
    assert Petition.objects.count() == 0 and DayCounter.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_household_of_another_place_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        receive(world, household=world.household_b1)
    assert "household" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["commune_a_viewer", "commune_b_admin", "other_province_leader", "nobody",
                                     "department_handler"])
def test_only_cadres_leaders_and_committees_over_the_place_may_record(world, persona):
    with pytest.raises(PermissionDenied):
        receive(world, actor=getattr(world, persona))
    assert Petition.objects.count() == 0


def test_an_anonymous_concern_keeps_no_contact(world):
    petition = receive(world, anonymous=True, citizen_name="Ai đó", citizen_phone="0912345678",
                       household=world.household_a1)
    petition.refresh_from_db()
    assert (petition.anonymous, petition.citizen_name, petition.citizen_phone, petition.household) == (
        True, "", "", None)


def test_the_audit_row_leaves_out_the_citizens_personal_data(world):
    petition = receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111")
    event = AuditEvent.objects.get(action="petition.receive", object_id=str(petition.pk))
    assert event.province_id == world.province.pk
    assert "Vàng Seo Sử" not in str(event.after) and "0911000111" not in str(event.after)
    assert event.after["code"] == petition.code


def test_photos_are_kept_and_a_renamed_program_is_refused(world):
    good = SimpleUploadedFile("anh-duong.png", PNG, content_type="image/png")
    petition = receive(world, files=[good])
    assert list(Attachment.objects.filter(petition=petition).values_list("name", "content_type")) == [
        ("anh-duong.png", "image/png")]
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        receive(world, files=[fake], text="Khác")
    assert "anh.jpg" in str(caught.value)
    assert Petition.objects.count() == 1


@pytest.mark.parametrize(("name", "content"), [("virus.exe", b"MZ"), ("to.png", PNG + b"\x00" * (5 * 1024 * 1024)),
                                               ("rong.pdf", b"")])
def test_attachments_are_checked_by_type_and_size(world, name, content):
    with pytest.raises(ValidationError):
        receive(world, files=[SimpleUploadedFile(name, content)])
    assert Petition.objects.count() == 0


def test_a_receipt_time_in_the_future_is_taken_as_now(world):
    later = timezone.now() + dt.timedelta(hours=5)
    petition = receive(world, received_at=later)
    assert petition.received_at <= timezone.now()


def test_a_concern_raised_at_the_commune_itself_is_held_by_its_committee(world):
    petition = receive(world, unit=world.commune_a, channel="office")
    assert petition.holder_agency == world.agency_a
    assert PetitionEvent.objects.filter(petition=petition, action="receive").count() == 1


def test_services_are_the_only_writers_and_every_intake_is_one_row_per_table(world):
    receive(world, source_ref="v", text=ROAD)
    assert (Petition.objects.count(), PetitionHolding.objects.count(), PetitionEvent.objects.count()) == (1, 1, 1)
    assert services.MAX_TEXT == 4000
