"""Login names proposed from a cadre's name, as Vietnamese offices write them: the given name, then the
initials of the family and middle names, without diacritics — "Sân Tiến Phúc" → "phucst"."""

from __future__ import annotations

import re
from collections.abc import Callable

from gandan.core.text import fold

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")
_WORD = re.compile(r"[a-z0-9]+")


def proposed_username(full_name: str) -> str:
    """The bare proposal for a name (before making it unique); "canbo" when the name has no letters."""
    words = _WORD.findall(fold(full_name))
    if not words:
        return "canbo"
    *others, given = words
    base = (given + "".join(w[0] for w in others))[:36]
    return base if len(base) >= 3 else (base + "cb")[:36]


def unique_username(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base` followed by the first number from 2 that makes it free."""
    if not taken(base):
        return base
    number = 2
    while taken(f"{base}{number}"):
        number += 1
    return f"{base}{number}"


def is_valid_username(username: str) -> bool:
    """3–40 of a–z, 0–9, dot, dash, underscore, starting with a letter or digit: typable on any phone."""
    return USERNAME.fullmatch(username) is not None
