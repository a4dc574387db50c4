"""The product's own error pages: 400, 403, 404, 500 and a refused form, in the user's language,
never a traceback; a 500 shows an id that is in the log with the traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SECRET = "mật khẩu cơ sở dữ liệu: hunter2"  # what a traceback would give away


class Broken:
    """Stands in for the database connection of the health check: every use fails."""

    def cursor(self):
        raise RuntimeError(SECRET)


@pytest.fixture
def crashing(monkeypatch):
    monkeypatch.setattr("gandan.core.views.connection", Broken())
    return "/health/"


def error_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "gandan.errors"]


def test_a_crash_answers_the_product_page_with_an_id_that_the_log_holds_with_the_traceback(crashing, caplog):
    response = Client(raise_request_exception=False).get(crashing)

    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống gặp lỗi" in page and 'data-testid="error-id"' in page
    assert SECRET not in page and "Traceback" not in page and "RuntimeError" not in page
    [record] = error_records(caplog)
    assert record.levelno == logging.ERROR and record.error_id in page
    assert record.exc_info[0] is RuntimeError and SECRET in str(record.exc_info[1])
    assert record.error_id in record.getMessage() and "/health/" in record.getMessage()
    assert [r for r in caplog.records if r.name == "django.request"] == []  # one line per error, with its id


def test_two_crashes_have_two_ids(crashing, caplog):
    client = Client(raise_request_exception=False)
    client.get(crashing)
    client.get(crashing)
    assert len({r.error_id for r in error_records(caplog)}) == 2


def test_the_500_page_is_in_english_for_who_chose_english(crashing, caplog):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    page = client.get(crashing).content.decode()
    assert "Something went wrong" in page and "Error code" in page and 'lang="en"' in page
    assert error_records(caplog)[0].error_id in page


def test_a_missing_page_answers_the_product_404_in_the_users_language(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and 'data-testid="error-page"' in page and "khong-co-trang-nay" not in page
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/khong-co-trang-nay/").content.decode()


def test_a_missing_page_with_debug_on_still_gets_the_product_404_from_a_view(world, client_as, settings):
    settings.DEBUG = True
    response = client_as(world.commune_a_leader).get("/units/987654321/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_a_refusal_answers_the_product_403_with_the_reason(world, client_as):
    response = client_as(world.commune_a_viewer).post("/imports/upload/", {"kind": "villages"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền làm việc này" in page and "Chỉ quản trị đơn vị mới được nhập dữ liệu." in page


def test_a_bad_request_answers_the_product_400(client):
    response = client.get("/", HTTP_HOST="ke-gian.example")  # a host not in ALLOWED_HOSTS
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "ke-gian.example" not in page and "ALLOWED_HOSTS" not in page


def test_a_form_without_its_token_answers_the_product_page_for_an_expired_form():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in page and "CSRF" not in page


def test_an_unknown_api_route_answers_json_not_a_page(client):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy"}
    client.cookies["django_language"] = "en"
    assert client.get("/api/v1/khong-co/").json() == {"detail": "Not found"}
