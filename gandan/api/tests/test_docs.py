"""The OpenAPI document and the docs page, which must work on a closed network (no CDN)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_openapi_document_lists_the_routes():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/units/roots", "/api/v1/units/{unit_id}/subtree", "/api/v1/cadres",
                 "/api/v1/agencies/{agency_id}", "/api/v1/tokens/{token_id}"]:
        assert path in paths
    assert set(response.json()["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_docs_page_loads_nothing_from_outside():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assets = ASSET.findall(html)
    assert assets, "the page should load Swagger UI"
    assert not [a for a in assets if re.match(r"^(https?:)?//", a)]


def test_docs_assets_are_served_by_us():
    html = Client().get("/api/v1/docs").content.decode()
    client = Client()
    for asset in ASSET.findall(html):
        response = client.get(asset)
        assert response.status_code == 200, asset
