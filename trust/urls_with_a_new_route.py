"""The project's routes and one more, with an id the sweep's table does not name (for the sweep's own test)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from gandan.urls import urlpatterns as project

urlpatterns = [*project, path("new/<int:pk>/", lambda request, pk: HttpResponse(), name="new-thing")]
