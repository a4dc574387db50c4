"""The v1 API: one NinjaAPI, one router module per app, session or personal-token auth."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Gần Dân API", version="1", urls_namespace="api-v1",
               description="API của Gần Dân / the Gần Dân API. Session auth for the browser, "
                           "`Authorization: Bearer <token>` for phone clients.")
