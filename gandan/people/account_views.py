"""Accounts and role grants of a unit administrator's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.org.models import AdminUnit
from gandan.people import scoping, services
from gandan.people.models import Role, RoleGrant, User


def _admin_grants(user):
    return scoping.filter_by_scope(RoleGrant.objects.all(), user, "unit__path", roles={Role.UNIT_ADMIN})


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    if not scoping.scope_paths(request.user, {Role.UNIT_ADMIN}):
        raise Http404(_("Không tìm thấy / Not found"))
    grants = (_admin_grants(request.user).select_related("user", "unit", "user__cadre")
              .order_by("unit__path", "user__username"))
    return render(request, "people/accounts.html", {
        "grants": grants, "roles": Role.choices, "today": timezone.localdate(),
        "admin_units": scoping.units_for(request.user, {Role.UNIT_ADMIN}).filter(valid_to__isnull=True)
        .select_related("level").order_by("path")[:500],
    })


@login_required
@require_POST
def grant_create(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    try:
        unit = scoping.get_in_scope_or_404(AdminUnit.objects.all(), request.user, "path",
                                           pk=request.POST.get("unit"))
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("Không có tài khoản “%(u)s”.") % {"u": username})
        services.grant_add(actor=request.user, user=user, role=request.POST.get("role", ""), unit=unit)
        messages.success(request, _("Đã cấp quyền cho %(u)s.") % {"u": username})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("accounts")


@login_required
@require_POST
def grant_end(request: HttpRequest, pk: int) -> HttpResponse:
    grant = scoping.get_in_scope_or_404(RoleGrant.objects.select_related("unit", "user"), request.user,
                                        "unit__path", pk=pk)
    try:
        services.grant_end(actor=request.user, grant=grant, on=timezone.localdate())
        messages.success(request, _("Đã thu hồi quyền của %(u)s.") % {"u": grant.user.username})
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("accounts")
