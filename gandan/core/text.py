"""Vietnamese text helpers: diacritic folding for search, collation keys for sorting, and the characters
no input may carry."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Vietnamese alphabet order; letters with marks sort after their base letter, tones after that.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 2, "\u0301": 4, "\u0303": 3, "\u0309": 1, "\u0323": 5}  # huyền sắc ngã hỏi nặng
# Refused in every input: C0 and C1 control characters (PostgreSQL stores no NUL, and the others are
# noise from a broken client), lone surrogates (no encoding can store them), and the bidirectional
# embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069, which make a name or a sentence
# display in another order than it is stored ("Trojan Source"). Vietnamese never needs them. Text of
# several lines also keeps tab, line feed and carriage return.
_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n\r{_UNSAFE}]")


class _Bare(dict[int, str]):
    """Each character without its diacritics (its canonical decomposition less the combining marks),
    computed the first time it is met: `str.translate` then folds a text at C speed. The same as
    removing the marks from the whole text's NFD, which decomposes character by character and only
    reorders the marks it removes (an import folds every household's name: bench/imports.py)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", "d" if char == "đ" else "D" if char == "Đ" else char)
        self[code] = bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return bare


_BARE = _Bare()


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and squeeze spaces: "Xã Nghĩa Thuận" → "xa nghia thuan"."""
    bare = text if text.isascii() else text.translate(_BARE)
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


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not carry, as "U+0000", or None when it is clean.

    One line (a name, a code, a filter) refuses tab and line breaks too; `multiline` text keeps them."""
    found = (_UNSAFE_IN_TEXT if multiline else _UNSAFE_IN_LINE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None
