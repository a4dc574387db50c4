"""Photo checks read the content: type by magic bytes, size and count limits, clear messages."""

from __future__ import annotations

import pytest

from gandan.fieldwork.photos import PhotoLimits, PhotoRejected, check_photo, sniff
from gandan.fieldwork.testing import JPEG, PNG, WEBP


@pytest.mark.parametrize(("data", "kind"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")])
def test_pictures_are_recognised_by_their_first_bytes(data, kind):
    assert sniff(data[:16]) == kind


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"MZ\x90\x00", b"GIF89a", b"<svg xmlns=", b"RIFF\x00\x00\x00\x00WAVE",
                                  b""])
def test_other_files_are_not_pictures(data):
    assert sniff(data) is None


def test_a_renamed_document_is_refused_by_name():
    with pytest.raises(PhotoRejected, match="“bao-cao.jpg” không phải ảnh"):
        check_photo(name="bao-cao.jpg", size=100, head=b"%PDF-1.7\n", already=0)


def test_a_large_photo_is_refused_with_the_limit():
    with pytest.raises(PhotoRejected, match="tối đa 1 MB"):
        check_photo(name="a.jpg", size=2 * 1024 * 1024, head=JPEG[:16], already=0,
                    limits=PhotoLimits(max_bytes=1024 * 1024))


def test_one_photo_too_many_is_refused():
    with pytest.raises(PhotoRejected, match="tối đa 2 ảnh"):
        check_photo(name="a.jpg", size=100, head=JPEG[:16], already=2, limits=PhotoLimits(max_per_visit=2))


def test_an_empty_file_is_refused():
    with pytest.raises(PhotoRejected, match="rỗng"):
        check_photo(name="a.jpg", size=0, head=b"", already=0)


def test_an_acceptable_photo_gives_its_type():
    assert check_photo(name="anh.png", size=len(PNG), head=PNG[:16], already=5) == "image/png"


def test_a_refusal_is_one_sentence_in_the_users_language():
    from django.utils import translation

    with pytest.raises(PhotoRejected) as refused:
        check_photo(name="a.jpg", size=0, head=JPEG[:16], already=0)
    assert str(refused.value) == "Ảnh “a.jpg” rỗng"
    with translation.override("en"), pytest.raises(PhotoRejected) as refused:
        check_photo(name="a.jpg", size=0, head=JPEG[:16], already=0)
    assert str(refused.value) == "Photo “a.jpg” is empty"
