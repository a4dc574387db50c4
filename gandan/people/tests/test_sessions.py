"""My sessions: noted at login, listed, ended one by one or all others; logout drops its row."""

from __future__ import annotations

import pytest
from django.test import Client

from gandan.people.models import SignedInSession
from gandan.people.testing import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(username: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_each_login_is_listed_and_ending_one_signs_that_browser_out(world):
    phone, laptop = signed_in("commune_a_leader", "Điện thoại Android"), signed_in("commune_a_leader", "Máy tính")
    assert SignedInSession.objects.filter(user=world.commune_a_leader).count() == 2
    page = laptop.get("/me/sessions/")
    assert page.status_code == 200
    assert "Điện thoại Android" in page.content.decode() and "Máy tính" in page.content.decode()
    other = SignedInSession.objects.get(user_agent="Điện thoại Android")
    assert laptop.post(f"/me/sessions/{other.pk}/end/").status_code == 302
    assert phone.get("/me/").status_code == 302  # signed out: back to the login page
    assert laptop.get("/me/").status_code == 200
    assert list(SignedInSession.objects.values_list("user_agent", flat=True)) == ["Máy tính"]


def test_ending_all_others_keeps_this_one_and_logout_drops_its_row(world):
    first, second = signed_in("commune_a_leader", "A"), signed_in("commune_a_leader", "B")
    third = signed_in("commune_a_leader", "C")
    assert third.post("/me/sessions/end-others/").status_code == 302
    assert first.get("/me/").status_code == second.get("/me/").status_code == 302
    assert list(SignedInSession.objects.values_list("user_agent", flat=True)) == ["C"]
    third.post("/accounts/logout/")
    assert not SignedInSession.objects.exists()


def test_another_users_session_is_missing_to_me(world):
    signed_in("commune_a_leader", "A")
    theirs = SignedInSession.objects.get()
    response = signed_in("commune_a_cadre", "B").post(f"/me/sessions/{theirs.pk}/end/")
    assert response.status_code == 404 and SignedInSession.objects.filter(pk=theirs.pk).exists()
