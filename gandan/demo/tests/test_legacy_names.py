"""No real name is taken for a legacy encoding: the 34 provinces and 3,321 communes of the official
list, the demo's people and villages (core.legacy_text over what the project actually holds)."""

from __future__ import annotations

import json

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from gandan.core.legacy_text import find_legacy
from gandan.demo import names


def official_names() -> set[str]:
    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as source:
        provinces = json.load(source)
    return {p["name"] for p in provinces} | {w["name"] for p in provinces for w in p["wards"]}


def demo_names() -> set[str]:
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
            for key in value.__dataclass_fields__:
                walk(getattr(value, key))

    for value in vars(names).values():
        walk(value)
    return found


def test_no_official_unit_name_is_flagged():
    units = official_names()
    assert len(units) > 3000
    assert [n for n in units if find_legacy(n)] == []


def test_no_demo_name_is_flagged_alone_or_as_a_full_name():
    parts = demo_names()
    assert len(parts) > 100
    assert [n for n in parts if find_legacy(n)] == []
    assert [n for n in (f"{a} {b} {c}" for a in list(parts)[:60] for b in ("Văn", "Thị", "Seo") for c in
                        list(parts)[:60]) if find_legacy(n)] == []
