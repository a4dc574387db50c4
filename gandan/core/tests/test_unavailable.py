"""The database out of reach answers 503 with Retry-After and an error id, and a full media disk 507,
on pages and in the API, in the user's language, never with the exception's text or a traceback."""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from gandan.core.storage import StorageFull

pytestmark = pytest.mark.django_db
SECRET = "server closed the connection unexpectedly (host 10.0.0.5, user gandan)"


class Down:
    """The health check's database connection, out of reach."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def cursor(self):
        raise self.error


def records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "gandan.errors"]


@pytest.mark.parametrize("error", [OperationalError(SECRET), InterfaceError(SECRET)])
def test_a_page_answers_503_with_retry_after_and_an_id_when_the_database_is_out_of_reach(monkeypatch, caplog, error):
    monkeypatch.setattr("gandan.core.views.connection", Down(error))

    response = Client(raise_request_exception=False).get("/health/")

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page and 'data-testid="error-id"' in page
    assert SECRET not in page and "Traceback" not in page and "Error" not in page
    [record] = records(caplog)
    assert record.status_code == 503 and record.error_id in page and isinstance(record.exc_info[1], type(error))


def test_the_api_answers_503_in_its_json_shape_and_in_english_for_who_chose_it(monkeypatch, caplog):
    def lookup(key):
        raise OperationalError(SECRET)

    monkeypatch.setattr("gandan.people.tokens.token_lookup", lookup)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/petitions", HTTP_AUTHORIZATION="Bearer gd_abc")
    client.cookies["django_language"] = "en"
    english = client.get("/api/v1/petitions", HTTP_AUTHORIZATION="Bearer gd_abc")

    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert set(body) == {"detail", "error_id"} and "thử lại sau ít giây" in body["detail"]
    assert body["error_id"] == records(caplog)[0].error_id and SECRET not in response.content.decode()
    assert english.json()["detail"].startswith("The system is briefly unavailable")


def test_a_full_disk_answers_507_without_retry_after(monkeypatch, caplog):
    monkeypatch.setattr("gandan.core.views.connection", Down(StorageFull(28, "media storage full")))

    response = Client(raise_request_exception=False).get("/health/")

    assert response.status_code == 507 and not response.has_header("Retry-After")
    page = response.content.decode()
    assert "Máy chủ hết chỗ lưu tệp" in page and records(caplog)[0].error_id in page


def test_any_other_error_is_still_a_500(monkeypatch, caplog):
    monkeypatch.setattr("gandan.core.views.connection", Down(RuntimeError(SECRET)))
    assert Client(raise_request_exception=False).get("/health/").status_code == 500
