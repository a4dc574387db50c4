"""Django's password validators, worded in the product's voice: Vietnamese source strings with their
English in our catalogue.

Django's own Vietnamese catalogue lags its code (5.2's "too short" message has no Vietnamese entry,
so a Vietnamese user read it in English) and says "Nó phải chứa…". The checks stay Django's; only
the sentences are ours, each saying what to do. settings.AUTH_PASSWORD_VALIDATORS names these.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
                        "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
                        self.min_length) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("Mật khẩu có ít nhất %(min_length)d ký tự.",
                        "Mật khẩu có ít nhất %(min_length)d ký tự.",
                        self.min_length) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        """Django's check; the field's name in lower case, since it stands inside a sentence."""
        try:
            super().validate(password, user)
        except ValidationError as exc:
            name = str((exc.params or {}).get("verbose_name", "")).lower()
            raise ValidationError(self.get_error_message(), code=exc.code, params={"verbose_name": name}) from None

    def get_error_message(self) -> str:
        return _("Mật khẩu quá giống %(verbose_name)s của bạn; hãy chọn một mật khẩu khác hẳn.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống tên đăng nhập, họ tên hay thư điện tử của bạn.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là một mật khẩu phổ biến.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")
