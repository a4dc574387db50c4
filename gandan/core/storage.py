"""Where an uploaded file is stored: never under the uploader's file name."""

from __future__ import annotations

from django.utils import timezone


def dated_path(prefix: str, province_id: object, stem: str, filename: str) -> str:
    """<prefix>/<province id>/<yyyy>/<mm>/<stem>.<ext>, the extension (at most 8 characters, lower
    case) taken from `filename`, "bin" when it has none."""
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    today = timezone.localdate()
    return f"{prefix}/{province_id}/{today:%Y}/{today:%m}/{stem}.{ext}"
