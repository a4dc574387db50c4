"""The request of a page behind `login_required`, for the type checker.

Django types `request.user` as a user or `AnonymousUser`; once `login_required` has let the request
through it is a `User`, and a view says so by annotating its request with `AuthenticatedRequest`.
Nothing changes at run time: the view still receives Django's own request object.
"""

from __future__ import annotations

from django.http import HttpRequest

from gandan.people.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
