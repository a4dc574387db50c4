"""The merge pages of a unit administrator: /units/merges/ (list), new/, <pk>/cancel/."""

from __future__ import annotations

from django.urls import path

from gandan.people import merge_views

urlpatterns = [
    path("", merge_views.merge_list, name="unit-merges"),
    path("new/", merge_views.merge_new, name="unit-merge-new"),
    path("<int:pk>/cancel/", merge_views.merge_cancel, name="unit-merge-cancel"),
]
