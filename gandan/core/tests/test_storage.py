"""The media storage writes a file whole or not at all: refused before writing when the disk would
keep less than the reserve free, and removed when the disk fills under it (the API's answer:
gandan/api/tests/test_storage_full.py)."""

from __future__ import annotations

import errno
import shutil
from collections import namedtuple

import pytest
from django.core.files.base import ContentFile

from gandan.core.storage import GuardedFileSystemStorage, StorageFull

Usage = namedtuple("Usage", "total used free")


class FillsUp(ContentFile):
    """A file whose second chunk meets a full disk (or another failure)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(b"x" * 100, name="photo.png")
        self.error = error

    def chunks(self, chunk_size=None):
        yield b"x" * 50
        raise self.error


@pytest.fixture
def storage(tmp_path, settings):
    settings.GANDAN_MEDIA_RESERVE_BYTES = 1000
    return GuardedFileSystemStorage(location=tmp_path)


def files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_file_is_written_whole(storage, tmp_path):
    name = storage.save("visits/8/2026/03/a.png", ContentFile(b"\x89PNG" + b"1" * 300))
    assert (tmp_path / name).read_bytes() == b"\x89PNG" + b"1" * 300
    again = storage.save("visits/8/2026/03/a.png", ContentFile(b"2"))
    assert again != name and (tmp_path / again).read_bytes() == b"2"  # never over another file


def test_a_file_the_disk_has_no_room_for_is_refused_before_a_byte_is_written(storage, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10_000, 8_900, 1_099))
    with pytest.raises(StorageFull):
        storage.save("visits/a.png", ContentFile(b"x" * 100))  # 100 + the reserve of 1,000 > 1,099
    assert files(tmp_path) == []
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10_000, 8_900, 1_100))
    storage.save("visits/a.png", ContentFile(b"x" * 100))
    assert files(tmp_path) == ["visits/a.png"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_disk_that_fills_during_the_write_leaves_nothing_behind(storage, tmp_path, code):
    with pytest.raises(StorageFull):
        storage.save("visits/a.png", FillsUp(OSError(code, "No space left on device")))
    assert files(tmp_path) == []


def test_another_failure_during_the_write_is_raised_as_it_is_and_leaves_nothing_either(storage, tmp_path):
    with pytest.raises(OSError) as raised:
        storage.save("visits/a.png", FillsUp(OSError(errno.EIO, "Input/output error")))
    assert not isinstance(raised.value, StorageFull) and files(tmp_path) == []
