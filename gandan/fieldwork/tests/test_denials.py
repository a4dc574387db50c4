"""Asking for another commune's visit (or its photo) answers the 404 of a missing one, page and API
alike, with DEBUG on or off, and leaves a denial in the log."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.fieldwork.models import VisitPhoto
from gandan.fieldwork.testing import PNG, make_visit
from gandan.people.testing import assert_denied_like_missing

pytestmark = pytest.mark.django_db
MISSING = 987654321


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("route", ["/fieldwork/visits/{}/", "/api/v1/fieldwork/visits/{}"])
def test_an_outsider_asking_for_a_visit_in_commune_a_is_logged_and_answered_as_missing(world, client_as, caplog,
                                                                                       settings, debug, route):
    settings.DEBUG = debug
    visit = make_visit(world)
    outsider = world.commune_b_admin
    assert_denied_like_missing(client_as(outsider), caplog, outsider, route.format(visit.pk), route.format(MISSING),
                               kind="fieldwork.visit", object_id=visit.pk)


def test_an_outsider_asking_for_a_photo_of_the_visit_is_logged_and_answered_as_missing(world, bearer, client_as,
                                                                                       caplog):
    visit = make_visit(world)
    bearer(world.commune_a_cadre).post(f"/api/v1/fieldwork/visits/{visit.pk}/photos",
                                       {"file": SimpleUploadedFile("anh.png", PNG, content_type="image/png")})
    photo = VisitPhoto.objects.get()
    outsider = world.commune_b_admin
    assert_denied_like_missing(client_as(outsider), caplog, outsider, f"/fieldwork/photos/{photo.pk}/",
                               f"/fieldwork/photos/{MISSING}/", kind="fieldwork.visitphoto", object_id=photo.pk)
