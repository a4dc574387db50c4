"""A failure inside an API route answers JSON in the API's shape with an error id, never a page or
a traceback, with DEBUG on or off; the id is in the log with the traceback."""

from __future__ import annotations

import pytest

from gandan.api.errors import NOT_FOUND

pytestmark = pytest.mark.django_db
SECRET = "mật khẩu cơ sở dữ liệu: hunter2"


@pytest.fixture
def crashing(monkeypatch):
    def fail(user):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("gandan.people.scoping.top_units", fail)
    return "/api/v1/units/roots"


@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_answers_json_with_an_error_id_that_the_log_holds(world, api_as, crashing, caplog, settings, debug):
    settings.DEBUG = debug
    response = api_as(world.commune_a_leader).get(crashing)

    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "error_id"} and body["detail"].startswith("Lỗi máy chủ")
    assert SECRET not in response.content.decode() and "Traceback" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "gandan.errors"]
    assert record.error_id == body["error_id"] and record.exc_info[0] is RuntimeError
    assert [r for r in caplog.records if r.name == "django.request"] == []


def test_an_unknown_route_of_the_api_answers_its_404(world, api_as):
    response = api_as(world.commune_a_leader).get("/api/v1/units/roots/khong-co")
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}


def test_an_api_error_is_in_the_callers_language_only(world, api_as, settings):
    client = api_as(world.commune_a_leader)
    assert client.get("/api/v1/units/roots/khong-co").json() == {"detail": "Không tìm thấy"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/api/v1/units/roots/khong-co").json() == {"detail": "Not found"}
    body = {"cadre_id": world.cadre_a.pk, "role": "primary"}
    response = client.post("/api/v1/assignments", body, content_type="application/json")
    assert response.json()["detail"][0]["msg"] == "Give exactly one of unit_id or household_id"
