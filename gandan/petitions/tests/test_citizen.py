"""The citizen's side (issues #9, #10): the PIN is the citizen's alone (hashed, shown once on the
receipt), a rating recorded for a citizen needs evidence and an outsider to the answering holder and
is counted apart, a closed concern can be reopened for a while, and the public form files once."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gandan.petitions import config_services, forms, queries, rates, services
from gandan.petitions.models import Petition, PetitionHolding
from gandan.petitions.testing import ROAD, province_committee_agency, receive

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def answered(world, **extra) -> Petition:
    p = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, **extra))
    return services.petition_answer(actor=world.commune_a_cadre, petition=p, text="Xã đã sửa đường.")


def call(**change):
    data = {"kind": "call", "call_at": NOW, "call_number": "0911 000 111", "note": "Bà con nói đã đi lại được"}
    return services.RatingEvidence(**(data | change))


# -- the PIN ---------------------------------------------------------------------------------------
def test_the_pin_is_stored_only_as_a_hash(world):
    petition = receive(world)
    stored = Petition.objects.get(pk=petition.pk)
    assert len(petition.pin) == 6 and petition.pin.isdigit()
    assert stored.pin == "" and petition.pin not in stored.pin_hash
    assert services.pin_matches(stored, petition.pin) and not services.pin_matches(stored, "")


def test_staff_pages_and_the_api_never_show_the_pin_after_intake(world, client_as, api_as):
    petition = receive(world, citizen_name="Vàng Seo Sử", citizen_phone="0911000111")
    for user in (world.commune_a_leader, world.commune_a_cadre, world.province_committee):
        page = client_as(user).get(reverse("petitions-detail", args=[petition.pk]))
        assert page.status_code == 200 and petition.pin.encode() not in page.content
        detail = api_as(user).get(f"/api/v1/petitions/{petition.pk}")
        assert detail.json()["pin"] is None


def test_the_api_gives_the_pin_once_in_the_answer_that_recorded_the_concern(world, api_as):
    created = api_as(world.commune_a_cadre).post("/api/v1/petitions", {
        "unit_id": world.village_a1.pk, "text": ROAD, "field": "infrastructure", "channel": "office"},
        content_type="application/json")
    assert created.status_code == 201
    pin = created.json()["pin"]
    petition = Petition.objects.get(pk=created.json()["id"])
    assert services.pin_matches(petition, pin)
    assert api_as(world.commune_a_cadre).get(f"/api/v1/petitions/{petition.pk}").json()["pin"] is None


def test_a_new_pin_replaces_the_old_one_and_shows_on_the_timeline(world, client_as):
    petition = receive(world)
    old = petition.pin
    client = client_as(world.commune_a_leader)
    response = client.post(reverse("petitions-pin-issue", args=[petition.pk]), follow=True)
    new = response.context["pin"]
    stored = Petition.objects.get(pk=petition.pk)
    assert new and services.pin_matches(stored, new) and not services.pin_matches(stored, old)
    assert stored.events.filter(action="pin_issue").exists()
    assert client.get(reverse("petitions-receipt", args=[petition.pk])).context["pin"] == ""
    with pytest.raises(PermissionDenied):
        services.petition_pin_issue(actor=world.commune_a_viewer, petition=stored)


# -- a rating recorded for a citizen ---------------------------------------------------------------
def test_a_proxy_rating_needs_evidence(world, frozen):
    petition = answered(world)
    for evidence in (None, services.RatingEvidence(kind="form"), call(call_at=None), call(call_number="gọi rồi"),
                     call(note=""), call(call_at=NOW + dt.timedelta(hours=1)),
                     call(call_at=NOW - dt.timedelta(days=1))):
        with pytest.raises(ValidationError):
            services.petition_rate(actor=world.province_committee, petition=petition, satisfied=True,
                                   evidence=evidence)
    assert Petition.objects.get(pk=petition.pk).status == "answered" and not petition.ratings.exists()


@pytest.mark.parametrize("who", ["commune_a_cadre", "commune_a_leader"])
def test_the_holder_who_answered_never_records_its_own_rating(world, frozen, who):
    """The author and the stint's cadre (commune_a_cadre), and whoever acts for the answering commune
    from a grant on it (commune_a_leader), may not rate the commune's answer for the citizen."""
    petition = answered(world)
    with pytest.raises(PermissionDenied):
        services.petition_rate(actor=getattr(world, who), petition=petition, satisfied=True, evidence=call())
    assert Petition.objects.get(pk=petition.pk).status == "answered"


def test_a_department_answer_is_rated_for_the_citizen_by_the_commune_not_the_department(world, frozen):
    petition = services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land"))
    frozen.shift(dt.timedelta(minutes=5))
    petition = services.petition_transfer(actor=world.commune_a_leader, petition=petition, note="đất",
                                          agency=world.agency_province)
    petition = services.petition_accept(actor=world.department_handler, petition=petition)
    petition = services.petition_answer(actor=world.department_handler, petition=petition, text="Sở đã đo lại.")
    frozen.shift(dt.timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        services.petition_rate(actor=world.department_handler, petition=petition, satisfied=True, evidence=call())
    form = services.RatingEvidence(kind="form", files=[SimpleUploadedFile("phieu.png", PNG)])
    services.petition_rate(actor=world.commune_a_leader, petition=petition, satisfied=True, evidence=form)
    rating = petition.ratings.get()
    assert (rating.by_citizen, rating.evidence, rating.recorded_by) == (False, "form", world.commune_a_leader)
    assert rating.evidence_files.count() == 1


def test_proxy_ratings_are_counted_apart_and_left_out_of_the_satisfaction_rate(world, frozen, client_as):
    province_committee_agency(world)
    own = answered(world, text="Đèn đường tắt")
    services.petition_rate(actor=None, petition=own, satisfied=False, pin=own.pin)
    proxied = answered(world, text="Cống thoát nước tắc")
    services.petition_rate(actor=world.province_committee, petition=proxied, satisfied=True, evidence=call())
    assert set(PetitionHolding.objects.exclude(rated_by="").values_list("rated_by", flat=True)) == {"citizen", "proxy"}

    figures = queries.holder_figures(start=NOW.date(), end=NOW.date())["units"][world.commune_a.pk]
    assert (figures["rated"], figures["satisfied"], figures["proxy_rated"], figures["proxy_satisfied"]) == (1, 0, 1, 1)
    f = rates.Figures(**figures)
    assert f.satisfaction.value == 0 and f.proxy_satisfaction.value == 1

    page = client_as(world.province_committee).get(reverse("petitions-rates"), {
        "start": NOW.date().isoformat(), "end": NOW.date().isoformat()})
    row = next(r for r in page.context["units"] if r.pk == world.commune_a.pk)
    listed = client_as(world.province_committee).get(row.link["proxy_rated"])
    assert [p.code for p in listed.context["rows"]] == [proxied.code]
    assert "cán bộ ghi thay" in page.content.decode()


# -- reopening -------------------------------------------------------------------------------------
def closed(world) -> Petition:
    petition = answered(world)
    return services.petition_rate(actor=None, petition=petition, satisfied=True, pin=petition.pin)


def test_a_satisfied_citizen_reopens_within_the_window_and_the_answering_holder_holds_it_again(world, frozen,
                                                                                              client):
    petition = closed(world)
    frozen.shift(dt.timedelta(days=29))
    url = reverse("petitions-track", args=[petition.code])
    page = client.get(url)
    assert page.context["reopen_until"] is not None and b"reopen-form" in page.content
    wrong = client.post(url, {"action": "reopen", "pin": "000000" if petition.pin != "000000" else "111111",
                              "reason": "Đường lại sụt"})
    assert wrong.status_code == 400 and Petition.objects.get(pk=petition.pk).status == "closed"
    done = client.post(url, {"action": "reopen", "pin": petition.pin, "reason": "Đường lại sụt sau mưa"})
    assert done.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.holder_unit, petition.holder_agency, petition.closed_at) == (
        "reopened", world.commune_a, world.agency_a, None)
    assert petition.events.last().action == "reopen"
    assert petition.holdings.filter(ended_at__isnull=True).count() == 1
    assert petition.ratings.get().satisfied  # the earlier rating stays what it was


def test_the_window_is_a_province_setting_and_closes(world, frozen):
    petition = closed(world)
    frozen.shift(dt.timedelta(days=31))
    with pytest.raises(ValidationError):
        services.petition_reopen(petition=petition, pin=petition.pin, reason="lại hỏng")
    with pytest.raises(PermissionDenied):
        config_services.policy_set(actor=world.commune_a_leader, province=world.province, reopen_days=60)
    config_services.policy_set(actor=world.province_committee, province=world.province, reopen_days=60)
    services.petition_reopen(petition=petition, pin=petition.pin, reason="lại hỏng")
    assert Petition.objects.get(pk=petition.pk).status == "reopened"


def test_the_window_is_set_on_the_settings_page(world, client_as):
    client = client_as(world.province_committee)
    assert client.post(reverse("petitions-settings-policy"), {"reopen_days": "45"}).status_code == 302
    assert "45 ngày" in client.get(reverse("petitions-settings")).content.decode()
    assert client.post(reverse("petitions-settings-policy"), {"reopen_days": "0"}).status_code == 400


def test_handlers_are_never_offered_the_citizens_reopen(world, client_as, frozen):
    petition = closed(world)
    page = client_as(world.commune_a_leader).get(reverse("petitions-detail", args=[petition.pk]))
    assert "reopen" not in page.context["allowed"]


# -- the public form files once --------------------------------------------------------------------
def form_data(world, **change):
    data = {"province": world.province.pk, "commune": world.commune_a.pk, "village": world.village_a1.pk,
            "field": "infrastructure", "urgency": "normal", "text": ROAD, "website": "",
            "started": forms.stamp(time.time() - 30), "token": forms.new_token()}
    return data | change


def test_reloading_the_confirmation_or_resending_the_form_files_nothing(world, client):
    data = form_data(world)
    first = client.post(reverse("petitions-public-new"), data)
    sent = first["Location"]
    shown = client.get(sent)
    assert shown.status_code == 200 and shown.context["pin"]
    reloaded = client.get(sent)
    assert reloaded.status_code == 200 and reloaded.context["pin"] == ""
    assert shown.context["pin"].encode() not in reloaded.content
    again = client.post(reverse("petitions-public-new"), data | {"text": ROAD + " (gửi lại)"})
    assert again.status_code == 302 and again["Location"] == sent
    assert Petition.objects.count() == 1


def test_someone_elses_confirmation_sends_to_the_tracking_page(world, client):
    petition = receive(world)
    response = client.get(reverse("petitions-public-sent", args=[petition.code]))
    assert response.status_code == 302 and response["Location"] == reverse("petitions-track", args=[petition.code])


def test_the_public_form_chooses_no_field_and_names_them_plainly(world, client):
    page = client.get(reverse("petitions-public-new"))
    choices = dict(page.context["form"].fields["field"].choices)
    assert page.context["form"]["field"].value() in (None, "")
    assert list(choices)[0] == "" and "đèn đường" in str(choices["infrastructure"])
    refused = client.post(reverse("petitions-public-new"), form_data(world, field=""))
    assert refused.status_code == 400 and refused.context["form"].has_error("field")
    assert Petition.objects.count() == 0


def test_the_public_form_warns_of_likely_duplicates_without_showing_their_text(world, client):
    existing = receive(world, citizen_name="Vàng Seo Sử")
    response = client.get(reverse("petitions-public-duplicates"), {
        "commune": world.commune_a.pk, "village": world.village_a1.pk,
        "text": "đường thôn Nậm Lìn sạt lở không đi được"})
    body = response.content.decode()
    assert existing.code in body and ROAD not in body and "Vàng Seo Sử" not in body
    nothing = client.get(reverse("petitions-public-duplicates"), {"commune": "99999999999999999999", "text": ROAD})
    assert nothing.status_code == 200 and existing.code not in nothing.content.decode()


# -- the landing page ------------------------------------------------------------------------------
def test_visitors_land_on_the_public_page_and_users_on_their_home(world, client, client_as):
    landing = client.get("/")
    body = landing.content.decode()
    assert landing.status_code == 200
    for url in (reverse("petitions-public-new"), reverse("petitions-track-lookup"), reverse("assignments-lookup"),
                reverse("login")):
        assert f'href="{url}"' in body
    assert 'href="/petitions/welcome/"' in client.get(reverse("login")).content.decode()
    assert 'href="/petitions/welcome/"' in client.get(reverse("assignments-lookup")).content.decode()
    home = client_as(world.commune_a_leader).get("/")
    assert home.status_code == 200 and "landing-choices" not in home.content.decode()

