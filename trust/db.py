"""What the harnesses compare a database by: every model's row count and a digest of its rows."""

from __future__ import annotations

import hashlib

from django.apps import apps

# Rows a request may write without changing anything of the product: the session of the caller.
UNCOMPARED = {"sessions.session"}


def counts() -> dict[str, int]:
    """Rows per model (concrete, managed models), by label."""
    return {model._meta.label_lower: model._base_manager.count() for model in _models()}


def digest() -> dict[str, str]:
    """A digest of every model's rows (all fields, in primary-key order), by label."""
    result = {}
    for model in _models():
        if model._meta.label_lower in UNCOMPARED:
            continue
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields])
        hasher = hashlib.sha256()
        for row in rows.iterator():
            hasher.update(repr(row).encode())
        result[model._meta.label_lower] = hasher.hexdigest()
    return result


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


def _models() -> list:
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
