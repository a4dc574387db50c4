"""Accounts and role grants of a unit administrator's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gandan.org.models import AdminUnit
from gandan.people import scoping, services
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role, RoleGrant, User


def _admin_grants(user):
    return scoping.filter_by_scope(RoleGrant.objects.all(), user, "unit__path", roles={Role.UNIT_ADMIN})


class GrantForm(forms.Form):
    """Give an existing account a role over a unit (the unit is looked up in the administrator's scope)."""

    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=Role.choices)
    unit = forms.IntegerField(label=gettext_lazy("Đơn vị"))

    def clean_username(self) -> User:
        """The account itself, found by its name."""
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Không có tài khoản “%(u)s”.") % {"u": username})
        return user


def _page(request: HttpRequest, form: GrantForm, status: int = 200) -> HttpResponse:
    grants = (_admin_grants(request.user).select_related("user", "unit", "user__cadre")
              .order_by("unit__path", "user__username"))
    return render(request, "people/accounts.html", {
        "grants": grants, "roles": Role.choices, "today": timezone.localdate(), "form": form,
        "admin_units": scoping.units_for(request.user, {Role.UNIT_ADMIN}).filter(valid_to__isnull=True)
        .select_related("level").order_by("path")[:500],
    }, status=status)


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    if not scoping.scope_paths(request.user, {Role.UNIT_ADMIN}):
        raise Http404(_("Không tìm thấy / Not found"))
    return _page(request, GrantForm())


@login_required
@require_POST
def grant_create(request: AuthenticatedRequest) -> HttpResponse:
    if not scoping.scope_paths(request.user, {Role.UNIT_ADMIN}):
        raise Http404(_("Không tìm thấy / Not found"))
    form = GrantForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        unit = scoping.get_in_scope_or_404(AdminUnit.objects.all(), request.user, "path", pk=data["unit"])
        try:
            services.grant_add(actor=request.user, user=data["username"], role=data["role"], unit=unit)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã cấp quyền cho %(u)s.") % {"u": data["username"].username})
            return redirect("accounts")
    return _page(request, form, status=400)


@login_required
@require_POST
def grant_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = scoping.get_in_scope_or_404(RoleGrant.objects.select_related("unit", "user"), request.user,
                                        "unit__path", pk=pk)
    try:
        services.grant_end(actor=request.user, grant=grant, on=timezone.localdate())
        messages.success(request, _("Đã thu hồi quyền của %(u)s.") % {"u": grant.user.username})
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("accounts")
