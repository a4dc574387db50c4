"""The public lookup: no login, diacritic-insensitive, office phone only, rate-limited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gandan.assignments.models import FollowerRole
from gandan.assignments.public_views import LOOKUP_LIMIT
from gandan.assignments.testing import make_assignment
from gandan.core import ratelimit
from gandan.people.models import Cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(world):
    """Village A1 followed by Sân Tiến Phúc (every personal field filled in), commune A by the province."""
    Cadre.objects.filter(pk=world.cadre_a.pk).update(
        office_phone="0219 3846 112", email="phuc@example.vn", birth_date=dt.date(1990, 5, 17),
        home_unit=world.village_a2)
    make_assignment(world.cadre_a, unit=world.village_a1)
    make_assignment(world.cadre_b, unit=world.village_a1, role=FollowerRole.SUPPORTING, end=dt.date(2025, 9, 1))
    make_assignment(world.cadre_province, unit=world.commune_a)
    return world


def test_a_citizen_finds_the_village_without_diacritics_or_an_account(followed):
    response = Client().get(reverse("assignments-lookup"), {"q": "nam lin"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thôn Nậm Lìn" in page and "Xã Nghĩa Thuận" in page and "Thôn Cốc Pảng" not in page


def test_a_search_by_village_and_commune_words(followed):
    page = Client().get(reverse("assignments-lookup"), {"q": "coc pang nghia thuan"}).content.decode()
    assert "Thôn Cốc Pảng" in page and "Thôn Nậm Lìn" not in page


def test_the_village_page_names_who_is_responsible_with_the_office_phone(followed):
    w = followed
    response = Client().get(reverse("assignments-lookup-village", args=[w.village_a1.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for public in ("Sân Tiến Phúc", "Công chức Văn phòng - Thống kê", "UBND xã Nghĩa Thuận", "0219 3846 112",
                   "Hoàng Văn Đức"):
        assert public in page
    assert "Lý Thị Mai" not in page  # her assignment ended


def test_the_village_page_never_shows_personal_data(followed):
    page = Client().get(reverse("assignments-lookup-village", args=[followed.village_a1.pk])).content.decode()
    for private in ("0912345678", "0912•••678", "phuc@example.vn", "17/05/1990", "1990", "Thôn Cốc Pảng",
                    "Vàng Seo Sử", "0911000111"):
        assert private not in page, private


def test_an_office_phone_falls_back_to_the_agency(followed):
    Cadre.objects.filter(pk=followed.cadre_a.pk).update(office_phone="")
    page = Client().get(reverse("assignments-lookup-village", args=[followed.village_a1.pk])).content.decode()
    assert "0219 3846 111" in page and "0912345678" not in page


def test_only_current_villages_are_looked_up(followed):
    client = Client()
    assert client.get(reverse("assignments-lookup-village", args=[followed.commune_a.pk])).status_code == 404
    assert client.get(reverse("assignments-lookup-village", args=[987654321])).status_code == 404


def test_lookups_are_rate_limited_per_client(followed, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC), tick=False)  # all in one window
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(LOOKUP_LIMIT):
        assert client.get(reverse("assignments-lookup"), {"q": "nam"}).status_code == 200
    refused = client.get(reverse("assignments-lookup-village", args=[followed.village_a1.pk]))
    assert refused.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in refused.content.decode()
    assert refused["Retry-After"] == "60"
    assert "Sân Tiến Phúc" not in refused.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.8")  # another citizen is not affected
    assert other.get(reverse("assignments-lookup"), {"q": "nam"}).status_code == 200


def test_the_lookup_refuses_through_the_one_limiter(followed, monkeypatch):
    """With the shared limiter's count past the page's own limit, the lookup refuses as it always has."""
    monkeypatch.setattr(ratelimit, "get_usage", lambda *args, group, **kwargs: {  # the page's own limit, not
        "count": 0 if group == "public" else 10**6, "limit": LOOKUP_LIMIT,  # the site-wide one before it
        "should_limit": group != "public", "time_left": 1})
    refused = Client().get(reverse("assignments-lookup"), {"q": "nam"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 60 giây." in \
        refused.content.decode()
