from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_login_page_is_vietnamese_by_default(db, client):
    body = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body


@pytest.fixture
def leader(db):
    return get_user_model().objects.create_user("commune_a_leader", password=PASSWORD)


def test_a_user_logs_in_and_lands_on_home(leader, client):
    response = client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_repeated_failures_are_throttled_even_with_the_right_password(leader, client):
    for _ in range(5):
        assert client.post("/accounts/login/", {"username": "commune_a_leader", "password": "sai"}).status_code == 200
    response = client.post("/accounts/login/", {"username": "commune_a_leader", "password": PASSWORD})
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_by_default(settings):
    from django.conf import settings as django_settings

    assert django_settings.PASSWORD_HASHERS  # the fixture swaps them; the module default is argon2
    from gandan import settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_health_check_answers(db, client):
    assert client.get("/health/").json() == {"status": "ok"}
