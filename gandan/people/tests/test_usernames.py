from __future__ import annotations

import pytest

from gandan.people.usernames import is_valid_username, proposed_username, unique_username


@pytest.mark.parametrize(("name", "expected"), [
    ("Sân Tiến Phúc", "phucst"), ("Lý Thị Mai", "mailt"), ("Đặng Đình Đức", "ducdd"),
    ("Giàng A Páo", "paoga"), ("  Hoàng   Văn  Đức ", "duchv"),
    ("Mai", "mai"), ("Ư", "ucb"), ("", "canbo"), ("123", "123"),
])
def test_a_username_is_the_given_name_and_the_initials_without_diacritics(name, expected):
    assert proposed_username(name) == expected


def test_a_taken_username_gets_the_first_free_number():
    taken = {"phucst", "phucst2"}
    assert unique_username("phucst", taken.__contains__) == "phucst3"
    assert unique_username("mailt", taken.__contains__) == "mailt"


@pytest.mark.parametrize("username", ["phucst", "lanhdao.nghiathuan", "a.b-c_9"])
def test_typable_usernames_are_valid(username):
    assert is_valid_username(username)


@pytest.mark.parametrize("username", ["ab", "Phúc", "phuc st", ".phuc", "x" * 41, "phuc\x00"])
def test_other_usernames_are_not(username):
    assert not is_valid_username(username)
