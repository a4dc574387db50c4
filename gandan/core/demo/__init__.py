"""Deterministic demo data on the real Tuyên Quang province (`gandan demo`), reusable by tests and by
the benchmark data generator: `build_demo(seed=…, scale=…)` then `demo_logins_ensure()`.

    names.py     Vietnamese name parts (Hmông, Dao, Tày, Nùng, Kinh) and village names
    staffing.py  agencies of a province and a commune, and their posts
    build.py     the ORM stages: villages, households, agencies, party cells, cadres
    logins.py    one demo login per role
"""

from __future__ import annotations

from gandan.core.demo.build import (
    DEFAULT_PROVINCE,
    DEFAULT_SEED,
    DemoError,
    DemoSummary,
    build_demo,
    demo_counts,
    demo_exists,
    province_of,
)
from gandan.core.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, LoginRow, demo_logins_ensure

__all__ = [
    "DEFAULT_PROVINCE", "DEFAULT_SEED", "DEMO_LOGINS", "DEMO_PASSWORD", "DemoError", "DemoLogin",
    "DemoSummary", "LoginRow", "build_demo", "demo_counts", "demo_exists", "demo_logins_ensure",
    "province_of",
]
