"""Accounts and role grants of a unit administrator's scope: grants, cadres without an account, an
account made from a cadre (its first password shown once), a set-password link for a forgotten one.

Every lookup goes through people/scoping.py under the unit-admin role: a cadre or an account of
another unit answers 404 like a missing one, and the denial is logged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gandan.core import ratelimit
from gandan.org.models import AdminUnit
from gandan.people import queries, scoping, services
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role, RoleGrant, User
from gandan.people.usernames import proposed_username, unique_username


def _admin_grants(user):
    return scoping.filter_by_scope(RoleGrant.objects.all(), user, "unit__path", roles={Role.UNIT_ADMIN})


class GrantForm(forms.Form):
    """Give an existing account a role over a unit (the unit is looked up in the administrator's scope).
    An account that is not a cadre of the unit's agencies needs the confirmation and its reason."""

    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=Role.choices)
    unit = forms.IntegerField(label=gettext_lazy("Đơn vị"))
    confirm_cross_unit = forms.BooleanField(
        label=gettext_lazy("Tôi xác nhận cấp quyền cho người không phải cán bộ của đơn vị này"), required=False)
    cross_unit_reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=500, required=False)

    def clean_username(self) -> User:
        """The account itself, found by its name."""
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Không có tài khoản “%(u)s”.") % {"u": username})
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("confirm_cross_unit") and not (data.get("cross_unit_reason") or "").strip():
            self.add_error("cross_unit_reason", _("Hãy ghi lý do cấp quyền cho người ngoài đơn vị."))
        return data

    def reason(self) -> str:
        """The reason, only when the administrator ticked the confirmation."""
        return self.cleaned_data["cross_unit_reason"].strip() if self.cleaned_data.get("confirm_cross_unit") else ""


def _page(request: AuthenticatedRequest, form: GrantForm, status: int = 200, **extra: Any) -> HttpResponse:
    grants = (_admin_grants(request.user).select_related("user", "unit", "user__cadre")
              .order_by("unit__path", "user__username"))
    return render(request, "people/accounts.html", {
        "grants": grants, "roles": Role.choices, "today": timezone.localdate(), "form": form,
        "admin_units": scoping.units_for(request.user, {Role.UNIT_ADMIN}).filter(valid_to__isnull=True)
        .select_related("level").order_by("path")[:500],
        "resettable": set(scoping.accounts_administered(request.user).values_list("pk", flat=True)),
        "without_account": queries.cadres_without_account(request.user).count(), **extra,
    }, status=status)


def _require_admin_somewhere(request: AuthenticatedRequest) -> None:
    if not scoping.scope_paths(request.user, {Role.UNIT_ADMIN}):
        raise Http404(_("Không tìm thấy"))


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin_somewhere(request)
    return _page(request, GrantForm())


@login_required
@require_POST
def grant_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin_somewhere(request)
    form = GrantForm(request.POST)
    needs_confirmation = False
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        unit = scoping.get_in_scope_or_404(AdminUnit.objects.all(), request.user, "path", pk=data["unit"])
        try:
            services.grant_add(actor=request.user, user=data["username"], role=data["role"], unit=unit,
                               cross_unit_reason=form.reason())
        except (ValidationError, PermissionDenied) as exc:
            needs_confirmation = getattr(exc, "code", None) == "cross_unit"
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã cấp quyền cho %(u)s.") % {"u": data["username"].username})
            return redirect("accounts")
    needs_confirmation = needs_confirmation or bool(form.data.get("confirm_cross_unit"))
    return _page(request, form, status=400, needs_confirmation=needs_confirmation)


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


# -- accounts made and looked after by the administrator --------------------------------------------
@login_required
def cadres_without_account(request: AuthenticatedRequest) -> HttpResponse:
    """The current cadres of the administered units who have no account, searchable by name."""
    _require_admin_somewhere(request)
    text = request.GET.get("q", "")[:100]
    page = Paginator(queries.cadres_without_account(request.user, text), 50).get_page(request.GET.get("page"))
    return render(request, "people/account_cadres.html", {
        "page": page, "q": text, "without_account": queries.cadres_without_account(request.user).count()})


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=40, help_text=gettext_lazy(
        "Đề xuất từ họ tên, không dấu; có thể sửa. Người dùng sẽ đăng nhập bằng tên này."))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET proposes a username; POST makes the account and shows its first password in this response
    only (never stored in clear, never redirected to)."""
    cadre = scoping.get_visible_or_404(queries.cadres_administered(request.user).select_related("unit", "agency"),
                                       request.user, pk=pk)
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                user, password = services.account_create(actor=request.user, cadre=cadre,
                                                         username=form.cleaned_data["username"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error("username" if field == "username" else None, errors)
            else:
                return render(request, "people/account_created.html",
                              {"cadre": cadre, "account": user, "password": password})
    else:
        taken = lambda name: User.objects.filter(username__iexact=name).exists()  # noqa: E731
        form = AccountForm(initial={"username": unique_username(proposed_username(cadre.full_name), taken)})
    has_account = User.objects.filter(cadre=cadre).first()
    return render(request, "people/account_create.html", {"cadre": cadre, "form": form, "has_account": has_account},
                  status=400 if form.errors else 200)


RESET_LINKS = {"limit": 30, "window": 3600}  # set-password links an address may ask for in an hour


@never_cache
@login_required
@require_POST
def password_reset_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A one-time set-password link for an account the administrator looks after, shown this once."""
    user = scoping.get_visible_or_404(scoping.accounts_administered(request.user).select_related("cadre"),
                                      request.user, pk=pk)
    if ratelimit.over_limit(request, group="password-reset-link", **RESET_LINKS):
        messages.error(request, _("Bạn đã tạo quá nhiều liên kết đặt mật khẩu trong một giờ; hãy thử lại sau."))
        return redirect("accounts")
    uid, token = services.password_reset_link(actor=request.user, user=user)
    link = request.build_absolute_uri(reverse("password-reset-confirm", args=[uid, token]))
    return render(request, "people/password_reset_link.html", {"account": user, "link": link,
                                                                "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
