"""A user changes their own password; one whose password an administrator set must do so first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gandan.core.models import ApiKey, AuditEvent
from gandan.people.models import User
from gandan.people.testing import PASSWORD

NEW = "Lùng-Cúng-mùa-lúa-2026"
CHANGE = "/accounts/password/"


def test_the_change_page_has_a_stable_name():
    assert reverse("password-change") == CHANGE


def test_a_user_changes_their_password_and_stays_signed_in(world, client_as):
    client = client_as(world.commune_a_cadre)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(pk=world.commune_a_cadre.pk)
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="user.password_set")
    assert event.actor_id == user.pk and event.after == {"must_change_password": False, "how": "change"}


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(world, client_as):
    client = client_as(world.commune_a_cadre)
    wrong = client.post(CHANGE, {"old_password": "sai-roi-nhe", "new_password1": NEW, "new_password2": NEW})
    weak = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "ngan", "new_password2": "ngan"})
    assert wrong.status_code == weak.status_code == 200
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in weak.content.decode()
    assert User.objects.get(pk=world.commune_a_cadre.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_set").exists()


def test_the_page_is_in_vietnamese_and_in_english(world, client_as):
    client = client_as(world.commune_a_cadre)
    assert "Mật khẩu hiện tại" in client.get(CHANGE).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(CHANGE).content.decode()
    assert "Current password" in page and "A password has at least 10 characters." in page


def test_the_change_page_needs_a_login():
    response = Client().get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def newcomer(world) -> User:
    """commune_a_cadre, whose password the administrator has just set."""
    User.objects.filter(pk=world.commune_a_cadre.pk).update(must_change_password=True)
    return User.objects.get(pk=world.commune_a_cadre.pk)


@pytest.mark.parametrize("url", ["/", "/units/", "/me/tokens/", "/fieldwork/", "/petitions/"])
def test_every_page_waits_until_the_password_set_by_the_administrator_is_changed(newcomer, client_as, url):
    response = client_as(newcomer).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(CHANGE + "?next=")


def test_a_post_elsewhere_is_sent_to_the_change_page_and_does_nothing(newcomer, client_as):
    response = client_as(newcomer).post("/me/tokens/", {"name": "điện thoại"})
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert not ApiKey.objects.filter(user=newcomer).exists()


def test_the_change_page_logout_language_and_static_files_stay_open(newcomer, client_as):
    client = client_as(newcomer)
    page = client.get(CHANGE)
    assert page.status_code == 200 and 'data-testid="must-change"' in page.content.decode()
    assert client.post("/i18n/setlang/", {"language": "en", "next": CHANGE}).status_code == 302
    assert client.get("/static/gandan/gandan.css").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_once_changed_the_user_goes_where_they_were_going(newcomer, client_as):
    client = client_as(newcomer)
    start = client.get("/units/")
    page = client.get(start["Location"])
    assert page.context["next"] == "/units/"
    done = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW,
                                "next": "/units/"})
    assert done["Location"] == "/units/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert client.get("/units/").status_code == 200
    assert AuditEvent.objects.get(action="user.password_set").before == {"must_change_password": True}


def test_next_never_leaves_the_site(newcomer, client_as):
    done = client_as(newcomer).post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW,
                                             "next": "https://evil.example/"})
    assert done["Location"] == "/"


def test_the_api_refuses_the_session_and_the_token_until_the_password_is_changed(world, newcomer, api_as, bearer):
    User.objects.filter(pk=newcomer.pk).update(must_change_password=False)
    token_client = bearer(newcomer)  # a token made before the administrator set the password
    User.objects.filter(pk=newcomer.pk).update(must_change_password=True)
    for client in (api_as(newcomer), token_client):
        response = client.get("/api/v1/cadres")
        assert response.status_code == 403
        assert response.json()["detail"] == ("Mật khẩu của bạn do quản trị đơn vị đặt; "
                                             "hãy đổi mật khẩu trước khi tiếp tục.")
