"""An upload the media disk has no room for answers 507 in the caller's words, with an error id, and
keeps neither a row nor a file (the storage itself: gandan/core/tests/test_storage.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.fieldwork.models import VisitPhoto
from gandan.fieldwork.testing import PNG, make_visit

pytestmark = pytest.mark.django_db


def upload(client, visit):
    return client.post(f"/api/v1/fieldwork/visits/{visit.pk}/photos",
                       {"file": SimpleUploadedFile("anh.png", PNG, "image/png")})


def test_an_upload_to_a_full_disk_answers_507_and_keeps_no_row_nor_file(world, bearer, settings):
    settings.GANDAN_MEDIA_RESERVE_BYTES = 10**18  # no disk has that much free
    visit = make_visit(world)
    client = bearer(world.commune_a_cadre)
    response = upload(client, visit)
    client.cookies["django_language"] = "en"
    english = upload(client, visit)

    assert response.status_code == 507, response.content
    assert set(response.json()) == {"detail", "error_id"}
    assert response.json()["detail"].startswith("Máy chủ hết chỗ lưu tệp")
    assert english.json()["detail"].startswith("The server has no room left for files")
    assert not VisitPhoto.objects.exists() and not (settings.MEDIA_ROOT / "visits").exists()


def test_the_same_upload_is_kept_once_there_is_room_again(world, bearer, settings):
    settings.GANDAN_MEDIA_RESERVE_BYTES = 10**18
    visit = make_visit(world)
    client = bearer(world.commune_a_cadre)
    assert upload(client, visit).status_code == 507
    settings.GANDAN_MEDIA_RESERVE_BYTES = 0
    assert upload(client, visit).status_code == 201
    photo = VisitPhoto.objects.get()
    assert (settings.MEDIA_ROOT / photo.file.name).read_bytes() == PNG
