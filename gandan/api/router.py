"""The v1 API: one NinjaAPI, one router module per app, session or personal-token auth.

Every route needs a caller (see auth.py) and reads through the app's scoped queries. The docs
page uses the Swagger UI files bundled with django-ninja, served as our own static files: the
system runs on closed networks, so nothing may come from a CDN.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from gandan.api import (
    agencies,
    assignments,
    cadres,
    campaigns,
    errors,
    evaluation,
    evaluation_rubrics,
    evaluation_year,
    fieldwork,
    grants,
    petitions,
    plans,
    reports,
    tokens,
    units,
)
from gandan.api.auth import AUTH


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's bundled static files, never the CDN fallback.

    Ninja falls back to a CDN page when "ninja" is not an installed app; we always render the
    local template, which needs "ninja" in INSTALLED_APPS (template and static files).
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if not apps.is_installed("ninja"):
            raise ImproperlyConfigured('Add "ninja" to INSTALLED_APPS: the docs use its bundled Swagger UI')
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {
            "swagger_settings": json.dumps(settings, indent=1),
            "api": api,
            "add_csrf": True,
        })


# No validator badge: Swagger UI would fetch it from swagger.io, which the Content-Security-Policy refuses.
api = NinjaAPI(title="Gần Dân API", version="1", urls_namespace="api-v1", auth=AUTH,
               docs=LocalSwagger(settings={"validatorUrl": None}),
               description="The Gần Dân API, documented in English like its operations. Session auth for the browser, "
                           "`Authorization: Bearer <token>` for phone clients "
                           "(create a token at /me/tokens/).")
errors.install(api)
api.add_router("/units", units.router)
api.add_router("/agencies", agencies.router)
api.add_router("/cadres", cadres.router)
api.add_router("/tokens", tokens.router)
api.add_router("/grants", grants.router)
api.add_router("/assignments", assignments.router)
api.add_router("/fieldwork", fieldwork.router)
api.add_router("/petitions", petitions.router)
api.add_router("/plans", plans.router)
api.add_router("/campaigns", campaigns.router)
api.add_router("/evaluation/rubrics", evaluation_rubrics.router)
api.add_router("/evaluation", evaluation_year.router)
api.add_router("/evaluation", evaluation.router)
api.add_router("/reports", reports.router)
