from __future__ import annotations

from gandan.core.text import fold, sort_key


def test_fold_strips_vietnamese_marks_and_d_stroke():
    assert fold("  Xã Nghĩa   Thuận ") == "xa nghia thuan"
    assert fold("ĐỒNG VĂN") == "dong van"
    assert fold("Phường Hà Giang 1") == "phuong ha giang 1"


def test_sort_key_follows_the_vietnamese_alphabet():
    words = ["Đồng", "Dương", "Ân", "An", "Ăn", "Bắc", "Ba", "Ơn", "Ô", "Yên"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Ba", "Bắc", "Dương", "Đồng", "Ô", "Ơn", "Yên"]


def test_sort_key_puts_tones_after_the_bare_word():
    assert sorted(["má", "mà", "ma", "mạ", "mả", "mã"], key=sort_key) == ["ma", "mả", "mà", "mã", "má", "mạ"]
