"""Password rules: Django's validators, each one's refusal and help in Vietnamese and in English."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

USER = get_user_model()(username="phucst", first_name="Sân Tiến Phúc", email="phuc@example.vn")
# password → (Vietnamese, English) of the one rule it breaks
BROKEN = {
    "Ab3-xy": ("Mật khẩu quá ngắn: cần ít nhất 10 ký tự.",
               "The password is too short: it needs at least 10 characters."),
    "phucst2026": ("Mật khẩu quá giống tên đăng nhập của bạn; hãy chọn một mật khẩu khác hẳn.",
                   "The password is too much like your username: choose a quite different one."),
    "qwertyuiop": ("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.",
                   "This password is too common and easy to guess: choose another one."),
    "80461379255": ("Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái.",
                    "A password cannot be digits only: add some letters."),
}


def _refusals(password: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(password, USER)
    return caught.value.messages


@pytest.mark.parametrize("password", list(BROKEN))
def test_each_broken_rule_is_told_in_vietnamese(password):
    with translation.override("vi"):
        assert _refusals(password) == [BROKEN[password][0]]


@pytest.mark.parametrize("password", list(BROKEN))
def test_each_broken_rule_is_told_in_english(password):
    with translation.override("en"):
        assert _refusals(password) == [BROKEN[password][1]]


def test_the_rules_are_listed_in_both_languages():
    with translation.override("vi"):
        vietnamese = password_validation.password_validators_help_texts()
    with translation.override("en"):
        english = password_validation.password_validators_help_texts()
    assert len(vietnamese) == len(english) == 4
    assert "Mật khẩu có ít nhất 10 ký tự." in vietnamese and "A password has at least 10 characters." in english
    assert not set(vietnamese) & set(english)


def test_a_good_password_passes():
    password_validation.validate_password("Lùng-Cúng-mùa-lúa-2026", USER)
