"""The user's own password: /accounts/password/ (change) and /accounts/set-password/… (a one-time link);
the login's second step: /accounts/otp/ (the code) and /accounts/otp/setup/ (enrol an authenticator)."""

from __future__ import annotations

from django.urls import path

from gandan.people import otp_views, password_views

urlpatterns = [
    path("password/", password_views.PasswordChangeView.as_view(), name="password-change"),
    path("otp/", otp_views.otp_verify, name="otp-verify"),
    path("otp/setup/", otp_views.otp_setup, name="otp-setup"),
    path("set-password/<uidb64>/<token>/", password_views.SetPasswordView.as_view(), name="password-reset-confirm"),
]
