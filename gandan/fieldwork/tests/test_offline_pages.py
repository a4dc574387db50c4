"""What the phone may keep for use without a network, as the server says it (core/offline.py), and
the pages made for offline use: the concern form and the offline page; my area with the concerns
I hold."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

from gandan.core.offline import KEEP_HEADER, USER_HEADER
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive


def test_the_bottom_bar_pages_are_kept_for_their_user(world, client_as):
    client = client_as(world.commune_a_cadre)
    for name in ("home", "fieldwork-home", "fieldwork-area", "fieldwork-capture", "fieldwork-concern-capture",
                 "petitions-home"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert response[KEEP_HEADER] == "keep", name
        assert response[USER_HEADER] == str(world.commune_a_cadre.pk)


def test_other_pages_are_not_kept_but_still_say_whose_they_are(world, client_as):
    response = client_as(world.commune_a_cadre).get(reverse("fieldwork-visits"))
    assert response.status_code == 200 and KEEP_HEADER not in response
    assert response[USER_HEADER] == str(world.commune_a_cadre.pk)


def test_a_signed_out_page_says_nobody_so_the_phone_drops_what_it_kept(world):
    response = Client().get(reverse("login"))
    assert response[USER_HEADER] == "" and KEEP_HEADER not in response


def test_only_successful_html_gets_are_kept(world, client_as):
    client = client_as(world.commune_a_cadre)
    assert KEEP_HEADER not in client.get(reverse("api-v1:place_list"))  # JSON: the worker caches it itself
    assert KEEP_HEADER not in client.post(reverse("fieldwork-area"))


@override_settings(GANDAN_OFFLINE_PAGES=())
def test_the_list_of_kept_pages_is_a_setting(world, client_as):
    assert KEEP_HEADER not in client_as(world.commune_a_cadre).get(reverse("fieldwork-area"))


def test_the_concern_form_posts_to_the_concerns_api_and_carries_its_texts(world, client_as):
    page = client_as(world.commune_a_cadre).get(reverse("fieldwork-concern-capture")).content.decode()
    assert 'data-api="/api/v1/petitions"' in page and 'data-visit-api="/api/v1/fieldwork/visits"' in page
    assert 'id="fw-text"' in page and "need_text" in page
    assert '<option value="">' in page  # no field chosen in advance


def test_the_offline_page_names_nobody(world, client_as):
    """One copy serves whoever uses the phone next: no name, no scope, no menu of the first user."""
    page = client_as(world.commune_a_cadre).get(reverse("fieldwork-offline")).content.decode()
    assert "Không có mạng" in page and "Xã Nghĩa Thuận" not in page and "Sân Tiến Phúc" not in page
    assert reverse("fieldwork-concern-capture") in page
    assert Client().get(reverse("fieldwork-offline")).status_code == 200


def test_the_concern_form_explains_when_the_account_has_no_cadre(world, client_as):
    page = client_as(world.commune_a_leader).get(reverse("fieldwork-concern-capture")).content.decode()
    assert "chưa gắn với cán bộ" in page and "concern-form" not in page


def test_my_area_lists_the_concerns_i_hold_by_deadline(world, client_as):
    mine = receive(world, text="Đèn đường thôn Nậm Lìn hỏng, cả xóm tối từ tuần trước")
    other = receive(world, text="Đường vào bản sạt lở sau mưa lớn, xe máy không qua được")
    Petition.objects.filter(pk=mine.pk).update(holder_cadre=world.cadre_a)
    Petition.objects.filter(pk=other.pk).update(holder_cadre=world.cadre_b)
    page = client_as(world.commune_a_cadre).get(reverse("fieldwork-area")).content.decode()
    assert mine.code in page and "Đèn đường thôn Nậm Lìn hỏng" in page
    assert other.code not in page
