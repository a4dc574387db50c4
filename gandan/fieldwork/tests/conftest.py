"""Fixtures of the field-work tests: photos stored in a temporary folder (API callers: root conftest)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
