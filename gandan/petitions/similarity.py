"""How alike two concerns' texts are, for duplicate detection at intake. Pure (no ORM).

Texts are folded (diacritics off, lower case: "Đường sạt lở" ≈ "duong sat lo"), cut into words, and
compared as sets of word pairs (shingles) with the Jaccard index, blended with the word-set overlap
so that short texts still match. Common function words do not count.
"""

from __future__ import annotations

import re

from gandan.core.text import fold

WORD = re.compile(r"[a-z0-9]+")
# Folded Vietnamese function words that carry no meaning for matching.
STOPWORDS = frozenset([
    "va", "cua", "cho", "la", "co", "khong", "duoc", "da", "dang", "se", "nay", "do", "thi", "ma", "voi",
    "tu", "den", "tai", "o", "trong", "ngoai", "tren", "duoi", "nhung", "cac", "mot", "nhieu", "it", "rat",
    "qua", "bi", "de", "nen", "vi", "neu", "khi", "luc", "toi", "chung", "em", "anh", "chi", "ong", "ba",
    "xin", "nghi", "kien", "phan",
])
THRESHOLD = 0.35


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(fold(text)) if w not in STOPWORDS]


def shingles(tokens: list[str], size: int = 2) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) … 1 (same words in the same order), symmetric."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    pairs = jaccard(shingles(wa), shingles(wb))
    overlap = len(set(wa) & set(wb)) / min(len(set(wa)), len(set(wb)))
    return round(0.5 * pairs + 0.25 * jaccard(set(wa), set(wb)) + 0.25 * overlap, 4)


def is_similar(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold
