"""Legacy Vietnamese encodings: the bytes a TCVN3 (ABC) or VNI-Windows font puts in a cell, found and
converted; Unicode, NFD Unicode and ASCII are never flagged."""

from __future__ import annotations

import unicodedata

import pytest

from gandan.core.legacy_text import TCVN3, VNI, find_legacy, from_tcvn3, from_vni, is_vietnamese_word


def latin1(data: bytes) -> str:
    """Bytes as a legacy font's file stores them: each byte is the Latin-1 character of its place."""
    return data.decode("latin-1")


# (bytes typed with the font, the Unicode they show)
TCVN3_CASES = [
    (b"Nguy\xd4n V\xa8n H\xb6i", "Nguyễn Văn Hải"),
    (b"Th\xabn N\xcbm L\xd7n", "Thôn Nậm Lìn"),
    (b"\xa7\xe7 Th\xde H\xe5ng", "Đỗ Thị Hồng"),
    (b"X\xb7 Ngh\xdca Thu\xcbn", "Xã Nghĩa Thuận"),
    (b"Tuy\xaan Quang", "Tuyên Quang"),
    (b"Ph\xefng Th\xde Thu\xfb", "Phùng Thị Thuỷ"),
    (b"L\xad\xacng V\xa8n Ng\xadn", "Lương Văn Ngưn"),
    (b"C\xf6a h\xb5ng", "Cửa hàng"),
    (b"NGUY\xd4N V\xa1N AN", "NGUYỄN VĂN AN"),  # typed for .VnTimeH: ASCII capitals, small toned codes
]
VNI_CASES = [
    (b"Nguye\xe3n Va\xean Ha\xfbi", "Nguyễn Văn Hải"),
    (b"Tho\xe2n Na\xe4m L\xecn", "Thôn Nậm Lìn"),
    (b"\xd1o\xe3 Th\xf2 Ho\xe0ng", "Đỗ Thị Hồng"),
    (b"Xa\xf5 Ngh\xf3a Thua\xe4n", "Xã Nghĩa Thuận"),
    (b"L\xf6\xf4ng Th\xf2 Thu\xfby", "Lương Thị Thủy"),
    (b"Khuo\xe5i Cu\xfbng", "Khuổi Củng"),
    (b"Ha\xfan sa\xfcn K\xee", "Hẳn sẵn Kỵ"),  # ẳ ẵ ỵ: the letters other tables miss
    (b"NGUYE\xc3N VA\xcaN \xd1\xd6\xd8NG", "NGUYỄN VĂN ĐỪNG"),
]


@pytest.mark.parametrize(("raw", "unicode"), TCVN3_CASES)
def test_tcvn3_bytes_are_found_and_converted(raw, unicode):
    assert from_tcvn3(latin1(raw)) == unicode
    assert find_legacy(latin1(raw)).encoding == TCVN3 and find_legacy(latin1(raw)).converted == unicode


@pytest.mark.parametrize(("raw", "unicode"), VNI_CASES)
def test_vni_bytes_are_found_and_converted(raw, unicode):
    assert from_vni(latin1(raw)) == unicode
    found = find_legacy(latin1(raw))
    assert found.encoding == VNI and found.converted == unicode


@pytest.mark.parametrize("text", ["Nguyễn Văn Hải", "Hoà Bình", "Hòa Bình", "Xã Nghĩa Thuận", "Vàng Seo Sử",
                                  "Thôn Khuổi Phìn", "Đắk Lắk", "Krông Pắc", "Ea H'leo", "M’Drắk", "Số 12, ngõ 3",
                                  "UBND xã Quản Bạ", "Café Hà Giang", "Nguyen Van Hai", "HGD-0001", "",
                                  "Phố – Đông", "NGUYỄN VĂN AN"])
def test_unicode_and_ascii_are_never_flagged(text):
    assert find_legacy(text) is None
    assert find_legacy(unicodedata.normalize("NFD", text)) is None  # typed with combining marks


def test_a_word_is_vietnamese_when_it_is_one_well_formed_syllable():
    assert all(is_vietnamese_word(w) for w in ["nghiêng", "Khuổi", "QUYẾT", "gì", "giặt", "oản", "khuya"])
    assert not any(is_vietnamese_word(w) for w in ["NguyÔn", "Vaên", "tõt", "Nguyeãn", "H¶i", "aøng", "hoáá"])
