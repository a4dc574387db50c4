"""Likely duplicates at intake: texts compared without diacritics, as sets of word pairs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gandan.petitions.similarity import THRESHOLD, is_similar, similarity, words

ROAD = "Đường vào thôn Nậm Lìn bị sạt lở sau mưa lớn, xe máy không đi qua được, đề nghị xã sửa chữa."


def test_the_same_text_is_identical_and_diacritics_do_not_matter():
    assert similarity(ROAD, ROAD) == 1.0
    assert is_similar(ROAD, "duong vao thon Nam Lin sat lo, xe khong qua duoc")


def test_a_shorter_telling_of_the_same_thing_is_similar():
    assert is_similar(ROAD, "Đường thôn Nậm Lìn sạt lở nặng")


def test_a_different_concern_is_not():
    assert not is_similar(ROAD, "Trạm y tế xã thiếu thuốc thông thường")
    assert similarity(ROAD, "") == 0.0


def test_function_words_are_left_out():
    assert words("Đề nghị xã cho sửa đường") == ["xa", "sua", "duong"]


@given(st.text(max_size=80), st.text(max_size=80))
def test_similarity_is_symmetric_and_bounded(a, b):
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


def test_threshold_is_a_fraction():
    assert 0 < THRESHOLD < 1
