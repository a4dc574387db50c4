from __future__ import annotations

from django.urls import path

from gandan.people import session_views, token_views

urlpatterns = [
    path("tokens/", token_views.token_list, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
    path("sessions/", session_views.session_list, name="my-sessions"),
    path("sessions/<int:pk>/end/", session_views.session_end, name="my-session-end"),
    path("sessions/end-others/", session_views.session_end_others, name="my-sessions-end-others"),
]
