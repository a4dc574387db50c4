"""`make bench`: build the demo province at a few scale factors in a throwaway database and time the
reads this issue built (scope, search, tree, subtree counts), printing medians and their growth
against scale 1. Not a test: nothing here asserts a time.

    python -m bench [--scales 0.25,1,2] [--repeat 15]       (DATABASE_URL selects the database)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _setup(var_dir: Path) -> None:
    os.environ["GANDAN_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    os.environ.setdefault("GANDAN_ENV", "test")
    import django

    django.setup()


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _measure(scale: float, repeat: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.test import Client

    from gandan.demo.build import build_demo
    from gandan.demo.logins import demo_logins_ensure
    from gandan.org.models import AdminUnit, Household
    from gandan.org.queries import subtree_counts
    from gandan.org.services import load_official_units
    from gandan.people import scoping
    from gandan.people import unit_queries as queries
    from gandan.people.models import User

    call_command("flush", interactive=False, verbosity=0)
    load_official_units()
    started = time.perf_counter()
    build_demo(scale=scale)
    build_s = time.perf_counter() - started
    demo_logins_ensure()
    user = User.objects.get(username="tinhuy")
    province = AdminUnit.objects.get(level__code="province", code="08")
    commune = AdminUnit.objects.get(level__code="commune", name="Xã Nghĩa Thuận")
    client = Client()
    client.force_login(user)

    def fresh_user() -> User:
        scoping.forget(user)
        return user

    results = {
        "households": float(Household.objects.count()),
        "demo build (s)": build_s,
        "scope: units_for().count() ms": _median_ms(lambda: scoping.units_for(fresh_user()).count(), repeat),
        "search 'nghia thuan' ms": _median_ms(lambda: queries.search_units(fresh_user(), "nghia thuan"), repeat),
        "children of province ms": _median_ms(lambda: queries.children_of(fresh_user(), province), repeat),
        "subtree counts, province ms": _median_ms(lambda: subtree_counts(province), repeat),
        "subtree counts, commune ms": _median_ms(lambda: subtree_counts(commune), repeat),
        "GET /units/<commune>/ ms": _median_ms(lambda: client.get(f"/units/{commune.pk}/"), repeat),
        "GET /api/v1/units/search ms": _median_ms(lambda: client.get("/api/v1/units/search?q=quan%20ba"), repeat),
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="0.25,1,2")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    var_dir = Path(tempfile.mkdtemp(prefix="gandan-bench-"))
    try:
        _setup(var_dir)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}; repeat {args.repeat}; medians")
        table = {scale: _measure(scale, args.repeat) for scale in scales}
        base = table[1.0] if 1.0 in table else table[scales[0]]
        names = list(base)
        print(f"{'measure':36}" + "".join(f"{f'scale {s:g}':>16}" for s in scales))
        for name in names:
            cells = []
            for scale in scales:
                value = table[scale][name]
                ratio = value / base[name] if base[name] else 0
                cells.append(f"{value:10.1f} ×{ratio:4.2f}" if "ms" in name or "(s)" in name else f"{value:16,.0f}")
            print(f"{name:36}" + "".join(f"{c:>16}" for c in cells))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
