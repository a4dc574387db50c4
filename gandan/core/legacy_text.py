"""Vietnamese typed in a legacy font encoding, found and converted to Unicode.

Offices still type with TCVN3 (ABC: the `.VnTime` fonts) or VNI (VNI-Windows: the `VNI-Times` fonts).
Such a font draws Vietnamese letters in the places of Latin-1 characters, so a workbook stores, and
an import reads, "NguyÔn V¨n H¶i" (TCVN3) or "Nguyeãn Vaên Haûi" (VNI) for "Nguyễn Văn Hải".

`find_legacy(text)` decides per cell: a text whose every word is ASCII or a well-formed Vietnamese
syllable in Unicode is left alone (so genuine Unicode and plain ASCII are never flagged), and a text
with a word that is not is reported only when one table turns every word of it into such a syllable.
The syllable check (`is_vietnamese_word`) is the whole safeguard: onset + rhyme of the Vietnamese
spelling, at most one tone mark, no capital letter inside a word.

The tables are our own, from the published layouts of TCVN 5712:1993 VN3 and of VNI-Windows,
checked by the tests against whole names typed in both. We looked for a maintained converter first:
the one on PyPI that is kept up (viparse, MIT) is a document loader whose tables are internal
modules, whose VNI table lacks ẳ/Ẳ and writes ỵ as "yï" (VNI has one character for it, î), and
whose content detection is tuned for whole documents, not for a name in a cell.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_NAMES = {TCVN3: "TCVN3 (ABC)", VNI: "VNI-Windows"}

# -- TCVN3 (VN3): one character per letter; no capital toned letters (an "H" font draws them) --------
_TCVN3_PAIRS = (
    # each vowel with huyền, hỏi, ngã, sắc, nặng: the order of the VN3 table
    ("µ¶·¸¹", "àảãáạ"), ("»¼½¾Æ", "ằẳẵắặ"), ("ÇÈÉÊË", "ầẩẫấậ"), ("ÌÎÏÐÑ", "èẻẽéẹ"), ("ÒÓÔÕÖ", "ềểễếệ"),
    ("×ØÜÝÞ", "ìỉĩíị"), ("ßáâãä", "òỏõóọ"), ("åæçèé", "ồổỗốộ"), ("êëìíî", "ờởỡớợ"), ("ïñòóô", "ùủũúụ"),
    ("õö÷øù", "ừửữứự"), ("úûüýþ", "ỳỷỹýỵ"),
    ("¨©ª«¬\u00ad®", "ăâêôơưđ"), ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"),
)
TCVN3_TABLE = {old: new for olds, news in _TCVN3_PAIRS for old, new in zip(olds, news, strict=True)}
_TCVN3_CHARS = re.compile("[" + re.escape("".join(TCVN3_TABLE)) + "]")

# -- VNI-Windows: a base letter followed by a mark character; i, ỵ, ơ, ư and đ are single characters ---
_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = dict(zip(_TONES, "ùøûõï", strict=True))  # after a plain vowel, ơ or ư
_VNI_CIRCUMFLEX = dict(zip(_TONES, "áàåãä", strict=True))  # circumflex and tone in one mark
_VNI_BREVE = dict(zip(_TONES, "éèúüë", strict=True))  # breve and tone in one mark
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}
_VIET_VOWELS = "aăâeêioôơuưy"


def _vni_of(letter: str) -> str | None:
    """The VNI spelling of one lowercase Vietnamese letter (None for a letter VNI writes as ASCII)."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _TONES), "")
    shape = next((m for m in marks if m not in _TONES), "")
    if shape == "\u0302":  # circumflex: â ê ô
        return base + (_VNI_CIRCUMFLEX[tone] if tone else "â")
    if shape == "\u0306":  # breve: ă
        return base + (_VNI_BREVE[tone] if tone else "ê")
    if shape == "\u031b":  # horn: ơ ư
        return _VNI_SINGLE[unicodedata.normalize("NFC", base + shape)] + (_VNI_TONE[tone] if tone else "")
    return base + _VNI_TONE[tone] if tone else None


def _vietnamese_letters() -> list[str]:
    letters = ["đ"]
    for vowel in _VIET_VOWELS:
        letters += [vowel] + [unicodedata.normalize("NFC", vowel + tone) for tone in _TONES]
    return letters


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter in _vietnamese_letters():
        code = _vni_of(letter)
        if code is None or code == letter:
            continue
        upper = letter.upper()
        table[code] = letter
        table[code.upper()] = upper
        if len(code) == 2:  # a capital with a small mark, or the reverse, as typed with caps lock
            table[code[0].upper() + code[1]] = upper
            table[code[0] + code[1].upper()] = letter
    return table


VNI_TABLE = _vni_table()
_VNI_CODES = re.compile("|".join(re.escape(code) for code in sorted(VNI_TABLE, key=len, reverse=True)))


def from_tcvn3(text: str) -> str:
    """TCVN3 to Unicode. A word whose ASCII letters are all capitals (typed for an "H" font, where the
    small toned letters are drawn as capitals) comes back in capitals."""
    def word(match: re.Match[str]) -> str:
        raw = match.group(0)
        converted = _TCVN3_CHARS.sub(lambda m: TCVN3_TABLE[m.group(0)], raw)
        ascii_letters = [c for c in raw if c.isascii() and c.isalpha()]
        return converted.upper() if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters) \
            else converted
    return re.sub(r"\S+", word, text)


def from_vni(text: str) -> str:
    return _VNI_CODES.sub(lambda m: VNI_TABLE[m.group(0)], text)


CONVERTERS = {TCVN3: from_tcvn3, VNI: from_vni}

# -- what a Vietnamese word looks like ------------------------------------------------------------
# Also the clusters and finals of the Central Highlands' names (Krông Pắc, Đắk Lắk, M'Drắk).
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bdgkpt][lr]|[kp]n|[bcdđghklmnpqrstvx])?"
_NUCLEUS = "(?:uyê|uya|iê|yê|uô|ươ|ia|ua|ưa|oa|oă|oe|uâ|uê|uy|uơ|oo|ôô|êê|[aăâeêioôơuưy])"
_CODA = "(?:ch|nh|ng|[cmnptiouykhlr])?"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")
_STOP_FINAL = re.compile("(?:c|ch|p|t)$")
_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ") | {
    unicodedata.normalize("NFC", v + t) for v in _VIET_VOWELS for t in ("", *_TONES)}
_WORD = re.compile(r"[^\s0-9!\"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~\u2013\u2014\u2018\u2019\u201c\u201d\u2026-]+")


@functools.lru_cache(maxsize=65536)  # names repeat their syllables: an import checks each one once
def is_vietnamese_word(word: str) -> bool:
    """An ASCII word (a foreign or minority name: no verdict needed), or one Vietnamese syllable in
    Unicode: onset + rhyme, one tone mark at most (and none but sắc or nặng before c, ch, p, t), in
    small letters, capitalised or all capitals."""
    if word.isascii():
        return True
    word = unicodedata.normalize("NFC", word)
    if word not in (word.lower(), word.capitalize(), word.upper()):
        return False
    lower = word.lower()
    if not set(lower) <= _LETTERS:
        return False
    decomposed = unicodedata.normalize("NFD", lower)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not _SYLLABLE.match(bare):
        return False
    return not (tones and tones[0] in "\u0300\u0309\u0303" and _STOP_FINAL.search(bare))


def reads_as_unicode(text: str) -> bool:
    return all(is_vietnamese_word(word) for word in _WORD.findall(text))


@dataclass(frozen=True)
class Legacy:
    encoding: str  # TCVN3 or VNI
    converted: str

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]


def find_legacy(text: str) -> Legacy | None:
    """The encoding `text` was typed in and its Unicode, when it is not Unicode Vietnamese but reads as
    Vietnamese once converted; None for Unicode, ASCII, and text no table explains."""
    if text.isascii() or reads_as_unicode(text):
        return None
    for encoding in (VNI, TCVN3):  # VNI first: a TCVN3 text is never valid once read as VNI
        converted = CONVERTERS[encoding](text)
        if converted != text and reads_as_unicode(converted):
            return Legacy(encoding, converted)
    return None
