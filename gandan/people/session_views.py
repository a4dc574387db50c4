"""The "my sessions" page: where I am signed in, and ending any of those sessions (another user's
session answers 404, as a missing one, and the denial is logged)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gandan.people import scoping, sessions
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import SignedInSession


@never_cache
@login_required
@require_GET
def session_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "people/sessions.html", {"sessions": sessions.sessions_of(request.user),
                                                    "current": request.session.session_key})


@login_required
@require_POST
def session_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row: SignedInSession = scoping.get_visible_or_404(SignedInSession.objects.filter(user=request.user),
                                                      request.user, pk=pk)
    if row.session_key == request.session.session_key:
        logout(request)
        return redirect("login")
    sessions.session_end(actor=request.user, session=row)
    messages.success(request, _("Đã kết thúc phiên đăng nhập."))
    return redirect("my-sessions")


@login_required
@require_POST
def session_end_others(request: AuthenticatedRequest) -> HttpResponse:
    ended = 0
    for row in sessions.sessions_of(request.user).exclude(session_key=request.session.session_key):
        sessions.session_end(actor=request.user, session=row)
        ended += 1
    messages.success(request, ngettext("Đã kết thúc %(count)d phiên khác.", "Đã kết thúc %(count)d phiên khác.",
                                       ended) % {"count": ended})
    return redirect("my-sessions")
