from __future__ import annotations

from django.urls import path

from gandan.people import token_views

urlpatterns = [
    path("tokens/", token_views.token_list, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
]
