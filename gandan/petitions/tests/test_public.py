"""Public pages (no login): the form and its CAPTCHA-free defences, the tracking page, the rating —
and everything they must never show."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gandan.core import ratelimit
from gandan.petitions import forms, public_views, services
from gandan.petitions.models import Petition
from gandan.petitions.testing import ROAD, receive

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form_data(world, **change):
    data = {"province": world.province.pk, "commune": world.commune_a.pk, "village": world.village_a1.pk,
            "field": "infrastructure", "urgency": "normal", "text": ROAD, "citizen_name": "Vàng Seo Sử",
            "citizen_phone": "0911000111", "website": "", "started": forms.stamp(time.time() - 30),
            "token": forms.new_token()}
    data.update(change)
    return data


def test_the_form_is_public_and_signs_the_time_it_was_shown(client, world):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("petitions-public-new"))
        assert response.status_code == 200
        assert forms.elapsed_since(response.context["form"].initial["started"]) == 0


def test_a_citizen_files_a_concern_and_gets_the_code_and_pin_once(client, world):
    posted = client.post(reverse("petitions-public-new"), form_data(world))
    petition = Petition.objects.get()
    assert posted.status_code == 302 and posted["Location"] == reverse("petitions-public-sent", args=[petition.code])
    assert (petition.channel, petition.unit, petition.holder_agency, petition.created_by) == (
        "public", world.village_a1, world.agency_a, None)
    assert petition.citizen_phone == "0911000111"
    response = client.get(posted["Location"])
    pin = response.context["pin"]
    assert petition.code.encode() in response.content and pin.encode() in response.content
    assert len(pin) == 6 and pin not in petition.pin_hash and services.pin_matches(petition, pin)


def test_a_filled_honeypot_is_refused(client, world):
    response = client.post(reverse("petitions-public-new"), form_data(world, website="http://spam.example"))
    assert response.status_code == 400 and Petition.objects.count() == 0


def test_a_form_sent_faster_than_a_person_can_type_is_refused(client, world):
    response = client.post(reverse("petitions-public-new"), form_data(world, started=forms.stamp(time.time() - 1)))
    assert response.status_code == 400 and "quá nhanh".encode() in response.content
    assert Petition.objects.count() == 0


@pytest.mark.parametrize("started", ["", "12345", "1700000000:forged-signature"])
def test_a_missing_or_forged_time_stamp_is_refused(client, world, started):
    response = client.post(reverse("petitions-public-new"), form_data(world, started=started))
    assert response.status_code == 400 and Petition.objects.count() == 0


def test_an_old_time_stamp_is_refused(client, world):
    response = client.post(reverse("petitions-public-new"), form_data(
        world, started=forms.stamp(time.time() - forms.MAX_FILL_SECONDS - 60)))
    assert response.status_code == 400 and Petition.objects.count() == 0


def test_one_address_may_file_only_so_many_an_hour(client, world, monkeypatch):
    monkeypatch.setattr(public_views, "FILE_LIMIT", 2)
    for i in range(2):
        assert client.post(reverse("petitions-public-new"), form_data(world, text=f"{ROAD} {i}")).status_code == 302
    third = client.post(reverse("petitions-public-new"), form_data(world, text="lần ba"))
    assert third.status_code == 429 and Petition.objects.count() == 2
    assert "Bạn đã gửi quá nhiều phản ánh trong một giờ; hãy thử lại sau." in third.content.decode()
    other = client.post(reverse("petitions-public-new"), form_data(world, text="máy khác"),
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize("data", [{}, {"text": "lần nữa"}])
def test_the_form_refuses_through_the_one_limiter_and_files_nothing(client, world, monkeypatch, data):
    """With the shared limiter's count past the page's own limit, the form refuses as it always has."""
    monkeypatch.setattr(ratelimit, "get_usage", lambda *args, group, **kwargs: {  # the page's own limit, not
        "count": 0 if group == "public" else 10**6, "limit": public_views.FILE_LIMIT,  # the site-wide one before it
        "should_limit": group != "public", "time_left": 1})
    refused = client.post(reverse("petitions-public-new"), form_data(world, **data) if data else {})
    assert refused.status_code == 429 and Petition.objects.count() == 0
    assert "Bạn đã gửi quá nhiều phản ánh trong một giờ; hãy thử lại sau." in refused.content.decode()


def test_a_bad_form_keeps_what_was_typed(client, world):
    response = client.post(reverse("petitions-public-new"), form_data(world, commune="", village=""))
    assert response.status_code == 400 and ROAD.encode() in response.content


def test_the_unit_lists_follow_the_chosen_province_and_commune(client, world):
    communes = client.get(reverse("petitions-public-units"), {"province": world.province.pk})
    assert "Xã Nghĩa Thuận".encode() in communes.content and "Mù Cang Chải".encode() not in communes.content
    villages = client.get(reverse("petitions-public-units"), {"commune": world.commune_a.pk})
    assert "Thôn Nậm Lìn".encode() in villages.content


@pytest.fixture
def answered(world) -> Petition:
    petition = receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111", household=world.household_a1,
                       files=[SimpleUploadedFile("anh-nha-toi.png", PNG)])
    services.petition_accept(actor=world.commune_a_cadre, petition=petition)
    services.petition_answer(actor=world.commune_a_cadre, petition=petition, text="Xã đã sửa đường ngày 20/7.",
                             files=[SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4")])
    fresh = Petition.objects.get(pk=petition.pk)
    fresh.pin = petition.pin  # what the citizen's receipt says
    return fresh


def test_the_tracking_page_shows_status_holder_dates_and_answer(client, world, answered):
    response = client.get(reverse("petitions-track", args=[answered.code]))
    assert response.status_code == 200
    for shown in (answered.code, "Đã trả lời", "UBND xã Nghĩa Thuận", "Xã đã sửa đường ngày 20/7.", "cong-van.pdf",
                  timezone.localtime(answered.received_at).strftime("%d/%m/%Y")):
        assert shown.encode() in response.content, shown


def test_the_tracking_page_never_shows_personal_data(client, world, answered):
    response = client.get(reverse("petitions-track", args=[answered.code]))
    never = ["Vàng Seo Sử", "0911000111", world.household_a1.code, world.household_a1.head_name, answered.pin,
             world.cadre_a.full_name, world.cadre_a.phone, "commune_a_cadre", "anh-nha-toi.png", ROAD]
    for secret in never:
        assert secret.encode() not in response.content, secret


def test_the_form_page_never_shows_anyones_personal_data(client, world, answered):
    response = client.post(reverse("petitions-public-new"), form_data(world, citizen_name="Người Khác",
                                                                      citizen_phone="0988777666"))
    for secret in ("Vàng Seo Sử", "0911000111", world.cadre_a.full_name):
        assert secret.encode() not in response.content


def test_a_code_leads_to_its_page_and_an_unknown_code_says_so(client, world, answered):
    found = client.get(reverse("petitions-track-lookup"), {"code": answered.code.lower()})
    assert found.status_code == 302 and found["Location"] == reverse("petitions-track", args=[answered.code])
    missing = client.get(reverse("petitions-track-lookup"), {"code": "PAKN.20250101.9999"})
    assert missing.status_code == 404 and "Không tìm thấy".encode() in missing.content
    assert client.get(reverse("petitions-track", args=["PAKN.20250101.9999"])).status_code == 404


def test_the_citizen_rates_with_the_pin(client, world, answered):
    url = reverse("petitions-track", args=[answered.code])
    wrong = client.post(url, {"satisfied": "yes", "pin": "999999" if answered.pin != "999999" else "111111"})
    assert wrong.status_code == 400 and Petition.objects.get(pk=answered.pk).status == "answered"
    right = client.post(url, {"satisfied": "yes", "pin": answered.pin, "comment": "Cảm ơn xã"})
    assert right.status_code == 302
    answered.refresh_from_db()
    assert answered.status == "closed" and answered.ratings.get().comment == "Cảm ơn xã"


def test_guessing_pins_is_limited(client, world, answered):
    url = reverse("petitions-track", args=[answered.code])
    codes = [c for c in ("000001", "000002", "000003", "000004") if c != answered.pin][:public_views.PIN_BACKOFF.free]
    for pin in codes:
        client.post(url, {"satisfied": "yes", "pin": pin})
    blocked = client.post(url, {"satisfied": "yes", "pin": answered.pin})
    assert blocked.status_code == 429 and Petition.objects.get(pk=answered.pk).status == "answered"
    assert "đã bị nhập sai nhiều lần; hãy thử lại sau 1 phút." in blocked.content.decode()


def test_an_answer_document_is_public_but_the_citizens_photo_is_not(client, world, answered):
    document = answered.attachments.get(answer__isnull=False)
    photo = answered.attachments.get(answer__isnull=True)
    assert client.get(reverse("petitions-track-document", args=[answered.code, document.pk])).status_code == 200
    assert client.get(reverse("petitions-track-document", args=[answered.code, photo.pk])).status_code == 404


def test_a_routed_out_complaint_shows_its_reason(client, world):
    petition = services.petition_route_out(actor=world.commune_a_leader, petition=receive(world), kind="complaint",
                                           reason="Hướng dẫn gửi đơn khiếu nại đến UBND tỉnh")
    response = client.get(reverse("petitions-track", args=[petition.code]))
    assert "Hướng dẫn gửi đơn khiếu nại".encode() in response.content
