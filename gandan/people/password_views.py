"""A user's own password: the change page (Django's PasswordChangeView) and the page a set-password
link opens (Django's PasswordResetConfirmView), both writing through services.password_set (audited,
the must-change flag dropped). The link's page is rate-limited per address (core/ratelimit.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gandan.core import ratelimit
from gandan.people import services
from gandan.people.models import User

SET_PASSWORD_TRIES = {"limit": 20, "window": 3600}  # requests to a set-password link per address and hour


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change my password (the old one, then the new one twice); back to where I was going."""

    template_name = "people/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": self._next() or "",
                "rules": password_validation.password_validators_help_texts()}

    def _next(self) -> str | None:
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()},
                                                      require_https=self.request.is_secure()):
            return target
        return None

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.user
        services.password_set(actor=user, user=user, password=form.cleaned_data["new_password1"], how="change")
        update_session_auth_hash(self.request, user)  # this session stays signed in, the others end
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return HttpResponseRedirect(self._next() or str(self.success_url))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page of a one-time link an administrator handed over: choose a new password, then sign in."""

    template_name = "people/password_set.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if ratelimit.over_limit(request, group="password-set", **SET_PASSWORD_TRIES):
            response = render(request, "people/password_set.html", {"limited": True}, status=429)
            response["Retry-After"] = str(SET_PASSWORD_TRIES["window"])
            return response
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "rules": password_validation.password_validators_help_texts()}

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.user
        services.password_set(actor=user, user=user, password=form.cleaned_data["new_password1"], how="reset link")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu đó."))
        return HttpResponseRedirect(reverse("login"))
