"""The browser sessions a user is signed in with: noted at login, dropped at logout, listed on the
"my sessions" page (session_views.py), where the user ends any of them — a lost phone, a shared
computer. Works with any SESSION_ENGINE: a session is asked of its store, never of a table."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import QuerySet
from django.utils import timezone

from gandan.people.models import SignedInSession, User


def _store(key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def noted_at_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    SignedInSession.objects.update_or_create(session_key=key, defaults={
        "user": user, "started_at": timezone.now(), "address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]})


def dropped_at_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    key = getattr(request, "session", None) and request.session.session_key
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


def rekeyed(old: str | None, new: str | None) -> None:
    """The session `old` goes on under the key `new` (a privilege step renews the key: people/otp.py)."""
    if old and new and old != new:
        SignedInSession.objects.filter(session_key=old).update(session_key=new)


def connect() -> None:
    user_logged_in.connect(noted_at_login, dispatch_uid="people.sessions.login")
    user_logged_out.connect(dropped_at_logout, dispatch_uid="people.sessions.logout")


def sessions_of(user: User) -> QuerySet[SignedInSession]:
    """The user's live sessions, newest first; rows of sessions that have expired are dropped."""
    rows = SignedInSession.objects.filter(user=user)
    gone = [row.pk for row in rows if not _store().exists(row.session_key)]
    if gone:
        SignedInSession.objects.filter(pk__in=gone).delete()
    return SignedInSession.objects.filter(user=user).order_by("-started_at", "-pk")


def session_end(*, actor: User, session: SignedInSession) -> None:
    """End one of the actor's own sessions: whoever holds it is signed out at their next request."""
    _store(session.session_key).delete()
    session.delete()
