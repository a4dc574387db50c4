"""The idempotency key's partner: a hash of the normalised body of a submitted visit (pure).

A phone retries a sync with the same client UUID and the same body; the server must then answer
with the stored visit, and answer 409 when the UUID comes back with a different body. "The same"
must survive what a client or a network may change without meaning to: the order of the chosen
units, duplicates, surrounding spaces, line endings, Unicode composition (NFD from some
keyboards), empty findings and GPS noise below a decimetre.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any


def clean_text(text: str | None) -> str:
    """NFC, LF line endings, no trailing spaces on lines, stripped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def clean_findings(findings: Mapping[str, Any] | None) -> dict[str, str]:
    """Topic code → cleaned text, without empty entries, keys sorted."""
    cleaned = {str(k).strip(): clean_text(v) for k, v in (findings or {}).items()}
    return {k: cleaned[k] for k in sorted(cleaned) if k and cleaned[k]}


def _ids(values: Iterable[int] | None) -> list[int]:
    return sorted({int(v) for v in values or ()})


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def normalise_body(*, cadre_id: int, date: dt.date, kind: str, unit_ids: Iterable[int] | None = None,
                   household_ids: Iterable[int] | None = None, findings: Mapping[str, Any] | None = None,
                   notes: str = "", latitude: float | None = None, longitude: float | None = None,
                   accuracy_m: float | None = None,
                   concerns: Iterable[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The body as the idempotency check compares it (photos are sent and deduplicated separately)."""
    return {
        "cadre": int(cadre_id),
        "date": date.isoformat(),
        "kind": kind,
        "units": _ids(unit_ids),
        "households": _ids(household_ids),
        "findings": clean_findings(findings),
        "notes": clean_text(notes),
        "gps": None if latitude is None or longitude is None else
        [_round(latitude, 6), _round(longitude, 6), _round(accuracy_m, 0)],
        "concerns": [{
            "text": clean_text(c.get("text")),
            "field": c.get("field") or "other",
            "urgency": c.get("urgency") or "normal",
            "unit": c.get("unit_id"),
            "household": c.get("household_id"),
            "citizen_name": clean_text(c.get("citizen_name")),
            "citizen_phone": clean_text(c.get("citizen_phone")),
            "anonymous": bool(c.get("anonymous")),
        } for c in concerns or ()],
    }


def body_hash(normalised: Mapping[str, Any]) -> str:
    payload = json.dumps(normalised, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
