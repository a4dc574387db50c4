"""What a concern or an answer may carry: photos and papers, checked by size, extension and the
file's first bytes (a renamed executable is refused), before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


@dataclass(frozen=True)
class Kind:
    content_type: str
    signatures: tuple[bytes, ...]


KINDS: dict[str, Kind] = {
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": Kind("image/webp", (b"RIFF",)),
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
ALLOWED = ", ".join(sorted({k for k in KINDS if k != "jpeg"}))


@dataclass(frozen=True)
class Checked:
    upload: IO[bytes]
    name: str
    content_type: str
    size: int


def safe_name(name: str) -> str:
    base = re.sub(r"[^\w.\- ]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip() or "tep"
    return base[-120:]


def check(uploads: list, field: str = "attachments") -> list[Checked]:
    """Every upload valid, or a ValidationError naming each bad file (nothing is kept)."""
    if len(uploads) > MAX_FILES:
        raise ValidationError({field: gettext("Tối đa %(count)d tệp") % {"count": MAX_FILES}})
    errors: list[str] = []
    checked: list[Checked] = []
    for upload in uploads:
        name = safe_name(getattr(upload, "name", "") or "tep")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        kind = KINDS.get(extension)
        size = getattr(upload, "size", None) or 0
        if kind is None:
            errors.append(gettext("%(name)s: chỉ nhận tệp %(allowed)s") % {"name": name, "allowed": ALLOWED})
            continue
        if size > MAX_BYTES:
            errors.append(gettext("%(name)s: tệp lớn hơn 5 MB") % {"name": name})
            continue
        if size == 0:
            errors.append(gettext("%(name)s: tệp rỗng") % {"name": name})
            continue
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in kind.signatures) or (
                extension == "webp" and head[8:12] != b"WEBP"):
            errors.append(gettext("%(name)s: nội dung không phải tệp .%(extension)s thật")
                          % {"name": name, "extension": extension})
            continue
        checked.append(Checked(upload=upload, name=name, content_type=kind.content_type, size=size))
    if errors:
        raise ValidationError({field: errors})
    return checked
