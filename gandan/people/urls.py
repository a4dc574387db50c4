from __future__ import annotations

from django.urls import path

from gandan.people import token_views

urlpatterns = [
    path("tokens/", token_views.token_list, name="api-tokens"),
]
