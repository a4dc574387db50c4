"""System checks of people's settings: `check --deploy` warns when production does not require the
two-step sign-in of administrators and leaders (people/otp.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def otp_required_in_production(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.GANDAN_OTP_REQUIRED:
        return []
    return [checks.Warning(
        "GANDAN_OTP_REQUIRED is off: administrators, committee members and leaders sign in with a password only.",
        hint="Unset GANDAN_OTP_REQUIRED (it is on by default) or set it to 1.", id="gandan.W010")]


def register() -> None:
    checks.register(otp_required_in_production, checks.Tags.security, deploy=True)
