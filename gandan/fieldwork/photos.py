"""Checks on visit photos, by content rather than by name or declared type (pure).

Only JPEG, PNG and WebP pictures are kept, each at most MAX_BYTES, at most MAX_PER_VISIT per
visit. The type is read from the file's first bytes ("magic numbers"), so a renamed document or
program is refused whatever its name says.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 8 * 1024 * 1024
MAX_PER_VISIT = 6
HEAD_BYTES = 16
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class PhotoRejected(ValueError):
    """A photo that cannot be kept; the message is one sentence in the user's language."""


def sniff(head: bytes) -> str | None:
    """The image type from the first bytes of a file, or None when it is not JPEG, PNG or WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int = MAX_BYTES
    max_per_visit: int = MAX_PER_VISIT


def check_photo(*, name: str, size: int, head: bytes, already: int, limits: PhotoLimits = PhotoLimits()) -> str:
    """The content type of an acceptable photo; raises PhotoRejected naming the file and the fix."""
    if already >= limits.max_per_visit:
        raise PhotoRejected(_("Ảnh “%(name)s”: mỗi lần đi cơ sở chỉ đính kèm tối đa %(count)d ảnh")
                            % {"name": name, "count": limits.max_per_visit})
    if size <= 0:
        raise PhotoRejected(_("Ảnh “%(name)s” rỗng") % {"name": name})
    if size > limits.max_bytes:
        mb = limits.max_bytes // (1024 * 1024)
        raise PhotoRejected(
            _("Ảnh “%(name)s” quá lớn (%(size)s MB), tối đa %(limit)d MB: hãy chụp ở độ phân giải thấp hơn")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": mb})
    content_type = sniff(head)
    if content_type is None:
        raise PhotoRejected(_("Tệp “%(name)s” không phải ảnh JPEG, PNG hoặc WebP") % {"name": name})
    return content_type
