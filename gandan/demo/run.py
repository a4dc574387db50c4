"""The modules' demo data, built by `gandan demo` after the base (units, people): one builder per
module, called in the order of the layers, each in its own transaction. A builder is
`extend(province, *, seed, progress) -> dict[str, int]` (what it made, {} when its records already
exist), deterministic for a seed. A new module adds its builder here, after those it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from gandan.demo import assignments, campaigns, evaluation, fieldwork, petitions, plans, reports
from gandan.org.models import AdminUnit

Builder = Callable[..., dict[str, int]]
BUILDERS: tuple[tuple[str, Builder], ...] = (
    ("assignments", assignments.extend),
    ("petitions", petitions.extend),
    ("fieldwork", fieldwork.extend),
    ("campaigns", campaigns.extend),
    ("plans", plans.extend),
    ("evaluation", evaluation.extend),
    ("reports", reports.extend),
)


def run_builders(province: AdminUnit, *, seed: int, progress: Callable[..., Any]) -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for name, extend in BUILDERS:
        with transaction.atomic():
            results[name] = extend(province, seed=seed, progress=progress)
    return results
