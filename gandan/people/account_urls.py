"""The user's own password: /accounts/password/ (change) and /accounts/set-password/… (a one-time link)."""

from __future__ import annotations

from django.urls import path

from gandan.people import password_views

urlpatterns = [
    path("password/", password_views.PasswordChangeView.as_view(), name="password-change"),
    path("set-password/<uidb64>/<token>/", password_views.SetPasswordView.as_view(), name="password-reset-confirm"),
]
