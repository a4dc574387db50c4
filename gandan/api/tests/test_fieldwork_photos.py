"""POST /api/v1/fieldwork/visits/{id}/photos and GET /fieldwork/photos/{id}/: type by content, size and
count limits with a sentence naming the file, a retried upload stored once, scoped like the visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gandan.api.tests.helpers import MISSING_ID, assert_hidden
from gandan.core.models import AuditEvent
from gandan.fieldwork.models import MonthLock, VisitPhoto
from gandan.fieldwork.testing import JPEG, PNG, WEBP, make_visit

pytestmark = pytest.mark.django_db
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


def upload(client, visit, data: bytes, name: str = "anh.jpg"):
    return client.post(f"/api/v1/fieldwork/visits/{visit.pk}/photos",
                       {"file": SimpleUploadedFile(name, data, content_type="image/jpeg")})


@pytest.mark.parametrize(("data", "kind"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")])
def test_a_photo_is_stored_under_media_visits_with_its_type(world, bearer, data, kind, settings):
    visit = make_visit(world)

    response = upload(bearer(world.commune_a_cadre), visit, data)

    assert response.status_code == 201, response.content
    photo = VisitPhoto.objects.get()
    assert photo.visit == visit and photo.content_type == kind and photo.size == len(data)
    assert photo.file.name.startswith(f"visits/{world.province.pk}/")
    assert (settings.MEDIA_ROOT / photo.file.name).read_bytes() == data
    assert response.json()["url"] == f"/fieldwork/photos/{photo.pk}/"
    assert AuditEvent.objects.filter(action="visit.photo_add").count() == 1


def test_the_same_picture_sent_again_is_stored_once(world, bearer):
    visit = make_visit(world)
    client = bearer(world.commune_a_cadre)
    first = upload(client, visit, JPEG)

    again = upload(client, visit, JPEG, name="lai-lan-nua.jpg")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert VisitPhoto.objects.count() == 1


def test_a_renamed_document_is_refused_naming_the_file(world, bearer):
    visit = make_visit(world)
    response = upload(bearer(world.commune_a_cadre), visit, b"%PDF-1.7\n" + b"x" * 100, name="bien-ban.jpg")

    assert response.status_code == 422
    message = response.json()["detail"][0]
    assert message["loc"][-1] == "file"
    assert "“bien-ban.jpg” không phải ảnh JPEG, PNG hoặc WebP" in message["msg"]
    assert not VisitPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(world, bearer, settings):
    settings.FIELDWORK_PHOTO_MAX_BYTES = 1024 * 1024
    visit = make_visit(world)
    response = upload(bearer(world.commune_a_cadre), visit, JPEG + b"\x00" * (1024 * 1024))

    assert response.status_code == 422
    assert "quá lớn" in response.json()["detail"][0]["msg"]
    assert not VisitPhoto.objects.exists()


def test_one_photo_more_than_allowed_is_refused(world, bearer, settings):
    settings.FIELDWORK_PHOTOS_PER_VISIT = 2
    visit = make_visit(world)
    client = bearer(world.commune_a_cadre)
    assert upload(client, visit, JPEG).status_code == 201
    assert upload(client, visit, PNG).status_code == 201

    response = upload(client, visit, WEBP)

    assert response.status_code == 422
    assert "tối đa 2 ảnh" in response.json()["detail"][0]["msg"]
    assert VisitPhoto.objects.count() == 2


def test_no_photo_is_added_to_a_visit_in_a_locked_month(world, bearer):
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    visit = make_visit(world, date=day)
    MonthLock.objects.create(province=world.province, month=day.replace(day=1))

    assert upload(bearer(world.commune_a_cadre), visit, JPEG).status_code == 423
    assert not VisitPhoto.objects.exists()


def test_a_viewer_cannot_add_photos(world, bearer):
    visit = make_visit(world)
    assert upload(bearer(world.commune_a_viewer), visit, JPEG).status_code == 403


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_outsider_cannot_add_photos_or_see_them(world, bearer, client_as, outsider):
    visit = make_visit(world)
    upload(bearer(world.commune_a_cadre), visit, JPEG)
    photo = VisitPhoto.objects.get()
    user = getattr(world, outsider)

    assert upload(bearer(user), visit, PNG).status_code == 404
    hidden = client_as(user).get(f"/fieldwork/photos/{photo.pk}/")
    missing = client_as(user).get(f"/fieldwork/photos/{MISSING_ID}/")
    assert hidden.status_code == missing.status_code == 404
    assert VisitPhoto.objects.count() == 1


def test_a_photo_is_served_to_those_who_see_the_visit(world, bearer, client_as):
    visit = make_visit(world)
    upload(bearer(world.commune_a_cadre), visit, PNG)
    photo = VisitPhoto.objects.get()

    response = client_as(world.commune_a_viewer).get(f"/fieldwork/photos/{photo.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_photos_of_a_visit_outside_scope_are_hidden_through_the_visit(world, api_as):
    visit = make_visit(world)
    assert_hidden(api_as(world.commune_b_admin), f"/api/v1/fieldwork/visits/{visit.pk}",
                  f"/api/v1/fieldwork/visits/{MISSING_ID}")
