"""Handler pages: inbox, record form, a concern and its actions, list, figures, settings, files; each
with the outsiders who must get a 404 exactly like a missing page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gandan.petitions import services
from gandan.petitions.models import Holiday, Notification, Petition
from gandan.petitions.testing import ROAD, receive

pytestmark = pytest.mark.django_db
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def concern(world) -> Petition:
    return receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111", household=world.household_a1,
                   files=[SimpleUploadedFile("anh.png", PNG)])


def assert_same_404(client, url: str, missing: str) -> None:
    hidden, absent = client.get(url), client.get(missing)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("petitions-home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_leaders_inbox_lists_the_units_concerns_overdue_first(world, client_as, concern):
    late = receive(world, text="Trạm y tế thiếu thuốc", field="health")
    Petition.objects.filter(pk=late.pk).update(accept_due_at=timezone.now() - dt.timedelta(hours=1))
    response = client_as(world.commune_a_leader).get(reverse("petitions-home"))
    assert response.status_code == 200
    rows = list(response.context["rows"])
    assert [p.pk for p in rows] == [late.pk, concern.pk]
    assert b"row-overdue" in response.content and "Quá hạn".encode() in response.content


def test_the_cadre_sees_what_they_hold_and_the_department_what_it_holds(world, client_as, concern):
    services.petition_accept(actor=world.commune_a_cadre, petition=concern)
    mine = client_as(world.commune_a_cadre).get(reverse("petitions-home"), {"box": "mine"})
    assert [p.pk for p in mine.context["rows"]] == [concern.pk]
    land = services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land", text="Đất"))
    services.petition_transfer(actor=world.commune_a_leader, petition=land, note="Sở")
    department = client_as(world.department_handler).get(reverse("petitions-home"))
    assert department.context["box"] == "department"
    assert [p.pk for p in department.context["rows"]] == [land.pk]
    everything = client_as(world.department_handler).get(reverse("petitions-home"), {"box": "all"})
    assert concern.pk not in [p.pk for p in everything.context["rows"]]  # never held by the department


def test_a_user_without_grants_has_an_empty_inbox(world, client_as, concern):
    response = client_as(world.nobody).get(reverse("petitions-home"))
    assert list(response.context["rows"]) == []


def test_a_cadre_records_a_concern_and_prints_the_receipt_with_the_pin_once(world, client_as):
    client = client_as(world.commune_a_cadre)
    assert client.get(reverse("petitions-record")).status_code == 200
    response = client.post(reverse("petitions-record"), {
        "unit": world.village_a1.pk, "channel": "visit", "field": "infrastructure", "urgency": "normal",
        "text": ROAD, "citizen_name": "Vàng Seo Sử", "citizen_phone": "0911000111",
        "household_code": world.household_a1.code, "files": SimpleUploadedFile("anh.png", PNG)}, follow=True)
    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("petitions-receipt", args=[petition.pk])
    assert (petition.household, petition.channel, petition.created_by) == (world.household_a1, "visit",
                                                                           world.commune_a_cadre)
    pin = response.context["pin"]
    assert petition.code.encode() in response.content and pin.encode() in response.content
    assert services.pin_matches(petition, pin) and pin not in petition.pin_hash
    assert petition.attachments.count() == 1
    again = client.get(reverse("petitions-receipt", args=[petition.pk]))
    assert again.status_code == 200 and again.context["pin"] == "" and petition.code.encode() in again.content
    page = client.get(reverse("petitions-detail", args=[petition.pk]))
    assert pin.encode() not in page.content and pin.encode() not in again.content


def test_a_bad_record_keeps_what_was_typed_and_says_what_is_wrong(world, client_as):
    response = client_as(world.commune_a_cadre).post(reverse("petitions-record"), {
        "unit": world.village_a1.pk, "channel": "visit", "field": "infrastructure", "urgency": "normal",
        "text": ROAD, "citizen_phone": "gọi tôi", "household_code": "KHONG-CO"})
    assert response.status_code == 400
    assert ROAD.encode() in response.content
    assert "Số điện thoại".encode() in response.content and "Không tìm thấy hộ".encode() in response.content
    assert Petition.objects.count() == 0


def test_a_viewer_cannot_open_the_record_form(world, client_as):
    assert client_as(world.commune_a_viewer).get(reverse("petitions-record")).status_code == 403


def test_likely_duplicates_are_shown_while_typing(world, client_as, concern):
    response = client_as(world.commune_a_cadre).get(reverse("petitions-duplicates"), {
        "unit": world.village_a1.pk, "text": "đường thôn Nậm Lìn sạt lở không đi được"})
    assert concern.code.encode() in response.content


def test_a_concern_page_shows_the_contact_only_to_its_handlers(world, client_as, concern):
    leader = client_as(world.commune_a_leader).get(reverse("petitions-detail", args=[concern.pk]))
    assert leader.status_code == 200 and b"0911000111" in leader.content
    assert concern.pin and concern.pin.encode() not in leader.content  # the PIN is the citizen's alone
    viewer = client_as(world.commune_a_viewer).get(reverse("petitions-detail", args=[concern.pk]))
    assert viewer.status_code == 200
    for secret in (b"0911000111", "Vàng Seo Sử".encode(), concern.pin.encode(), world.household_a1.code.encode()):
        assert secret not in viewer.content


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_concern_outside_scope_is_answered_as_missing(world, client_as, concern, outsider):
    client = client_as(getattr(world, outsider))
    assert_same_404(client, reverse("petitions-detail", args=[concern.pk]),
                    reverse("petitions-detail", args=[987654]))
    response = client.post(reverse("petitions-accept", args=[concern.pk]))
    assert response.status_code == 404
    assert Petition.objects.get(pk=concern.pk).status == "received"


def test_actions_from_the_page(world, client_as, concern, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    client = client_as(world.commune_a_leader)
    response = client.post(reverse("petitions-accept", args=[concern.pk]), {"version": 1})
    assert response.status_code == 302
    client.post(reverse("petitions-answer", args=[concern.pk]), {
        "version": 2, "text": "Đã sửa xong", "files": SimpleUploadedFile("cv.pdf", b"%PDF-1.4")})
    concern.refresh_from_db()
    assert concern.status == "answered" and concern.answers.get().documents.count() == 1
    page = client.get(reverse("petitions-detail", args=[concern.pk]))
    assert not page.context["can_rate"] and "Cơ quan đã trả lời không ghi đánh giá thay" in page.content.decode()
    refused = client.post(reverse("petitions-rate", args=[concern.pk]), {"version": 3, "satisfied": "yes"})
    assert refused.status_code == 403 and Petition.objects.get(pk=concern.pk).status == "answered"
    client_as(world.province_committee).post(reverse("petitions-rate", args=[concern.pk]), {
        "version": 3, "satisfied": "yes", "evidence": "call", "call_at": "10/03/2026 09:00",
        "call_number": "0911000111", "evidence_note": "Bà con xác nhận đã sửa"})
    assert Petition.objects.get(pk=concern.pk).status == "closed"


def test_a_stale_page_gets_a_clear_409(world, client_as, concern):
    client = client_as(world.commune_a_leader)
    client.post(reverse("petitions-accept", args=[concern.pk]), {"version": 1})
    response = client.post(reverse("petitions-handle", args=[concern.pk]), {"version": 1})
    assert response.status_code == 409
    assert "vừa được người khác cập nhật".encode() in response.content
    assert Petition.objects.get(pk=concern.pk).status == "accepted"


def test_an_escalation_without_reason_keeps_the_page_and_says_why(world, client_as, concern):
    client = client_as(world.commune_a_leader)
    client.post(reverse("petitions-accept", args=[concern.pk]))
    response = client.post(reverse("petitions-escalate", args=[concern.pk]), {"note": " "})
    assert response.status_code == 400 and "lý do".encode() in response.content
    assert Petition.objects.get(pk=concern.pk).status == "accepted"


def test_a_viewer_who_posts_an_action_is_refused(world, client_as, concern):
    response = client_as(world.commune_a_viewer).post(reverse("petitions-accept", args=[concern.pk]))
    assert response.status_code == 403
    assert Petition.objects.get(pk=concern.pk).status == "received"


def test_the_list_filters_and_exports_without_personal_data(world, client_as, concern):
    receive(world, text="Trạm y tế thiếu thuốc", field="health")
    client = client_as(world.commune_a_leader)
    response = client.get(reverse("petitions-list"), {"field": "infrastructure"})
    assert [p.pk for p in response.context["rows"]] == [concern.pk]
    assert [p.pk for p in client.get(reverse("petitions-list"), {"q": "tram y te"}).context["rows"]] != [concern.pk]
    export = client.get(reverse("petitions-list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Mã tra cứu") and len(rows) == 3
    assert "0911000111" not in str(rows) and "Vàng Seo Sử" not in str(rows)
    assert {r[2] for r in rows[1:]} == {"Thôn Nậm Lìn (Xã Nghĩa Thuận)"}  # a village says its commune
    assert "Thôn Nậm Lìn <span class=\"small text-muted\">· Xã Nghĩa Thuận</span>" in response.content.decode()


def test_rates_ranking_and_hot_spots_pages_link_counts_to_rows(world, client_as, concern):
    client = client_as(world.province_committee)
    rates = client.get(reverse("petitions-rates"))
    assert rates.status_code == 200
    row = rates.context["units"][0]
    assert row.name == "Xã Nghĩa Thuận" and row.figures.received == 1
    listed = client.get(row.link["received"])
    assert [p.pk for p in listed.context["rows"]] == [concern.pk]
    sheet = load_workbook(io.BytesIO(client.get(reverse("petitions-rates"), {"format": "xlsx"}).getvalue())).active
    assert sheet.cell(row=2, column=1).value == "Xã Nghĩa Thuận" and sheet.cell(row=2, column=3).value == 1
    month = timezone.localdate().strftime("%Y-%m")
    ranking = client.get(reverse("petitions-ranking"), {"m": month})
    assert ranking.status_code == 200 and ranking.context["units"][0].figures.received == 1
    ranked = load_workbook(io.BytesIO(client.get(reverse("petitions-ranking"), {"m": month, "format": "xlsx"})
                                      .getvalue())).active
    assert ranked.cell(row=2, column=4).value == "Xã Nghĩa Thuận"
    assert client.get(reverse("petitions-hotspots")).status_code == 200


@pytest.mark.parametrize("page", ["petitions-rates", "petitions-ranking", "petitions-hotspots"])
def test_figures_of_a_unit_outside_scope_are_missing(world, client_as, page):
    client = client_as(world.commune_b_admin)
    hidden = client.get(reverse(page), {"unit": world.commune_a.pk})
    absent = client.get(reverse(page), {"unit": 987654})
    assert hidden.status_code == absent.status_code == 404 and hidden.content == absent.content


def test_a_citizens_file_is_served_to_the_handler_and_hidden_from_others(world, client_as, concern):
    attachment = concern.attachments.get()
    url = reverse("petitions-file", args=[attachment.pk])
    assert client_as(world.commune_a_leader).get(url).status_code == 200
    assert client_as(world.commune_a_viewer).get(url).status_code == 404
    assert client_as(world.other_province_leader).get(url).status_code == 404


def test_settings_show_the_defaults_and_the_committee_changes_them(world, client_as):
    client = client_as(world.province_committee)
    page = client.get(reverse("petitions-settings"), {"year": "2026"})
    assert page.status_code == 200 and b"07:30" in page.content and "Tết Nguyên đán".encode() in page.content
    assert "17/02/2026</td><td>Tết Nguyên Đán".encode() in page.content
    client.post(reverse("petitions-settings-holiday"), {"date": "02/01/2026", "name": "Nghỉ bù"})
    assert Holiday.objects.filter(province=world.province, date=dt.date(2026, 1, 2)).exists()
    leader = client_as(world.commune_a_leader)
    leader.post(reverse("petitions-settings-holiday"), {"date": "03/01/2026", "name": "Không"})
    assert not Holiday.objects.filter(date=dt.date(2026, 1, 3)).exists()


def test_notifications_are_marked_read(world, client_as, concern):
    Notification.objects.create(province=world.province, recipient=world.commune_a_leader, petition=concern,
                                kind="overdue", message="Quá hạn", created_at=timezone.now())
    client = client_as(world.commune_a_leader)
    assert "Quá hạn".encode() in client.get(reverse("petitions-home")).content
    client.post(reverse("petitions-notifications-read"))
    assert Notification.objects.get().read_at is not None
