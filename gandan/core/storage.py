"""Where an uploaded file is stored (never under the uploader's file name), and the storage that
refuses a file it has no room for rather than keep part of it.

`GuardedFileSystemStorage` (settings.STORAGES["default"]) checks before writing that the media
folder's file system keeps `GANDAN_MEDIA_RESERVE_BYTES` free after the file, and writes the file
whole or not at all: a write that fails (the disk filled meanwhile, a quota) removes what it had
written. Both answer `StorageFull`, which the error handlers turn into a 507 in the user's language
(core/errors.py); raised inside the service's transaction, it leaves no row behind either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageFull(OSError):
    """No room for this file under MEDIA_ROOT: nothing of it was kept."""


def free_bytes(path: str) -> int:
    """Bytes free for an unprivileged writer on the file system holding `path` (or its nearest parent)."""
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return shutil.disk_usage(path).free


class GuardedFileSystemStorage(FileSystemStorage):
    """Django's file system storage, but a file is written whole or not at all."""

    def _check_room(self, size: int) -> None:
        reserve = int(getattr(settings, "GANDAN_MEDIA_RESERVE_BYTES", 0))
        free = free_bytes(str(self.location))
        if free < size + reserve:
            raise StorageFull(errno.ENOSPC, f"no room for {size} bytes: {free} free, {reserve} kept in reserve")

    def _save(self, name: str, content: Any) -> str:
        self._check_room(int(getattr(content, "size", 0) or 0))
        try:
            os.makedirs(os.path.dirname(self.path(name)), exist_ok=True)
            while True:
                full_path = self.path(name)
                try:
                    fd = os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
                except FileExistsError:  # taken meanwhile: Django's own way out
                    name = self.get_available_name(name)
                    continue
                break
        except OSError as exc:
            if exc.errno in FULL_ERRNOS:
                raise StorageFull(exc.errno, "the disk filled before the file could be created") from exc
            raise
        try:
            with os.fdopen(fd, "wb") as out:
                _copy(content, out)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.remove(full_path)
            if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
                raise StorageFull(exc.errno, "the disk filled during the write: the part written was removed") from exc
            raise
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(name).replace("\\", "/")


def _copy(content: Any, out: IO[bytes]) -> None:
    """Every chunk, flushed and synced: a file that is kept is on the disk."""
    for chunk in content.chunks():
        out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
    out.flush()
    os.fsync(out.fileno())


def dated_path(prefix: str, province_id: object, stem: str, filename: str) -> str:
    """<prefix>/<province id>/<yyyy>/<mm>/<stem>.<ext>, the extension (at most 8 characters, lower
    case) taken from `filename`, "bin" when it has none."""
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    today = timezone.localdate()
    return f"{prefix}/{province_id}/{today:%Y}/{today:%m}/{stem}.{ext}"
