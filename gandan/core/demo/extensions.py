"""Later modules extend the demo without touching it: an installed `gandan.<app>` with a `demo.py`
module that defines

    ORDER: int                       # run order (assignments before fieldwork before reports…)
    def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory) -> dict[str, int]

is run by `gandan demo` after the base build, each in its own transaction. `extend` must be
idempotent (return {} when its records already exist) and deterministic for a seed.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import transaction

from gandan.org.models import AdminUnit


def demo_modules() -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gandan.") or config.name == "gandan.core":
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def run_extensions(province: AdminUnit, *, seed: int, progress: Callable[..., Any]) -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for module in demo_modules():
        with transaction.atomic():
            results[module.__name__.split(".")[1]] = module.extend(province, seed=seed, progress=progress)
    return results
