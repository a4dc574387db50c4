"""The project's routes and one public page that nothing limits, for the test that the rate-limit harness fails
on it (trust/test_public_rate_limits.py, with the site-wide limit taken out)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from gandan.urls import urlpatterns as project


@csrf_exempt
def new_public_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [*project, path("new-public-page/", new_public_page, name="new-public-page")]
