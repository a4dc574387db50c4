from __future__ import annotations

from gandan.core.text import fold, sort_key, unsafe_character


def test_fold_strips_vietnamese_marks_and_d_stroke():
    assert fold("  Xã Nghĩa   Thuận ") == "xa nghia thuan"
    assert fold("ĐỒNG VĂN") == "dong van"
    assert fold("Phường Hà Giang 1") == "phuong ha giang 1"


def test_sort_key_follows_the_vietnamese_alphabet():
    words = ["Đồng", "Dương", "Ân", "An", "Ăn", "Bắc", "Ba", "Ơn", "Ô", "Yên"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Ba", "Bắc", "Dương", "Đồng", "Ô", "Ơn", "Yên"]


def test_sort_key_puts_tones_after_the_bare_word():
    assert sorted(["má", "mà", "ma", "mạ", "mả", "mã"], key=sort_key) == ["ma", "mả", "mà", "mã", "má", "mạ"]


def test_unsafe_character_names_the_first_control_surrogate_or_bidi_override():
    assert unsafe_character("Xã Nghĩa Thuận, thôn Nậm Lìn (số 2)") is None
    assert unsafe_character("a\x00b") == "U+0000"
    assert [unsafe_character(c) for c in "\x1f\x7f\x9f\u202a\u202e\u2066\u2069\ud800"] == [
        "U+001F", "U+007F", "U+009F", "U+202A", "U+202E", "U+2066", "U+2069", "U+D800"]
    assert unsafe_character("\u200f\u00a0\ufeff") is None  # marks and spaces are not overrides


def test_only_text_of_several_lines_keeps_tab_and_line_breaks():
    assert [unsafe_character(c) for c in "\t\n\r"] == ["U+0009", "U+000A", "U+000D"]
    assert unsafe_character("một\r\n\thai", multiline=True) is None
    assert unsafe_character("một\n\x0bhai", multiline=True) == "U+000B"


def test_fold_is_the_decomposition_without_its_marks_for_every_character():
    """fold() translates character by character: the same as stripping the marks of the whole text's NFD."""
    import re
    import unicodedata

    def by_decomposition(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return re.sub(r"\s+", " ", bare).strip().lower()

    everything = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF)
    samples = [everything, "e\u0301\u0323x", "Nguyễn  Thị\tẢnh ", "ĐẮK LẮK", "가각", "ǅ ﬁ ΐ"]
    assert [fold(s) for s in samples] == [by_decomposition(s) for s in samples]
