"""Asking for another commune's concern (or a file of it) answers the 404 of a missing one, page and API alike, with
DEBUG on or off, and leaves a denial in the log."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.people.testing import assert_denied_like_missing
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
MISSING = 987654321
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("route", ["/petitions/{}/", "/api/v1/petitions/{}"])
def test_an_outsider_asking_for_a_concern_in_commune_a_is_logged_and_answered_as_missing(world, client_as, caplog,
                                                                                         settings, debug, route):
    settings.DEBUG = debug
    concern = receive(world)
    outsider = world.commune_b_admin
    assert_denied_like_missing(client_as(outsider), caplog, outsider, route.format(concern.pk), route.format(MISSING),
                               kind="petitions.petition", object_id=concern.pk)


@pytest.mark.parametrize("outsider", ["commune_b_admin", "commune_a_viewer"])
def test_a_citizens_file_asked_by_who_may_not_have_it_is_logged_and_answered_as_missing(world, client_as, caplog,
                                                                                        outsider):
    """commune_b_admin does not see the concern; commune_a_viewer sees it but not the citizen's own files."""
    concern = receive(world, files=[SimpleUploadedFile("anh.png", PNG)])
    attachment = concern.attachments.get()
    user = getattr(world, outsider)
    assert_denied_like_missing(client_as(user), caplog, user, f"/petitions/files/{attachment.pk}/",
                               f"/petitions/files/{MISSING}/", kind="petitions.attachment", object_id=attachment.pk)
