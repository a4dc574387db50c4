"""Optimistic versions: a record that two people may change at once carries a `version` (+1 on every
change). A caller sends back the version it saw; the service compares it on the locked row and
refuses a stale one with `Stale`, which the API answers 409 and a screen by drawing its page again
with the current values (evaluation's step forms carry the version they were drawn with): the later
change is never written over the earlier one unseen. No version sent: act on the latest."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class Stale(Exception):
    """Someone changed the record after the caller read it (HTTP 409)."""

    def __init__(self, current: int) -> None:
        super().__init__(_("Bản ghi vừa được người khác thay đổi; hãy tải lại rồi thực hiện lại."))
        self.current = current


def check_version(locked: Any, version: int | None) -> None:
    """On a row locked for update: refuse a stale `version`, then count this change."""
    if version is not None and locked.version != version:
        raise Stale(locked.version)
    locked.version += 1
