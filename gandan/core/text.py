"""Vietnamese text helpers: diacritic folding for search, collation keys for sorting."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Vietnamese alphabet order; letters with marks sort after their base letter, tones after that.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 2, "\u0301": 4, "\u0303": 3, "\u0309": 1, "\u0323": 5}  # huyền sắc ngã hỏi nặng


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and squeeze spaces: "Xã Nghĩa Thuận" → "xa nghia thuan"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", bare).strip().lower()


def sort_key(text: str) -> tuple:
    """A key that orders Vietnamese words as a dictionary does (a < ă < â < b …, tones last)."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        shape = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in _TONES))
        letters.append(_ALPHABET.index(shape) if shape in _ALPHABET else 100 + ord(shape[0]))
        tones.append(tone)
    return (letters, tones)
