"""The "my API tokens" page: list, create (the key is shown once), revoke after a confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gandan.core.models import ApiKey
from gandan.people import scoping, tokens
from gandan.people.http import AuthenticatedRequest


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên khóa"), max_length=100,
        help_text=gettext_lazy("Để nhận ra khóa sau này, ví dụ “Điện thoại Android của tôi”."))


def _page(request: AuthenticatedRequest, form: TokenForm, **extra: object) -> HttpResponse:
    return render(request, "people/tokens.html",
                  {"form": form, "tokens": tokens.tokens_of(request.user), **extra})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET lists my tokens; POST creates one and shows its key in this response only (no redirect)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _page(request, TokenForm(), created=token, key=key)
    return _page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST revokes. Another user's token is a 404, as a missing one."""
    token: ApiKey = scoping.get_visible_or_404(tokens.tokens_of(request.user), request.user, pk=pk)
    if request.method == "POST":
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Đã thu hồi khóa “%(name)s”.") % {"name": token.name})
        return redirect("api-tokens")
    return _page(request, TokenForm(), confirm=token)
