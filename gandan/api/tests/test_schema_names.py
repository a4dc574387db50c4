"""The OpenAPI document names each schema by its class: two different schemas of one name would leave one
of them documented by the other (the evaluation's AssessIn once described the plans' task assessment,
the reports' UnitOut the units' API)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import gandan.api.router  # noqa: F401  # every API module, and so every schema, imported


def subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *subclasses(sub)}
    return found


def test_no_two_different_schemas_of_the_api_share_a_name() -> None:
    by_name: dict[str, list[type[Schema]]] = defaultdict(list)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("gandan."):
            by_name[schema.__name__].append(schema)
    clashes = sorted(f"{name}: {', '.join(sorted(s.__module__ for s in schemas))}"
                     for name, schemas in by_name.items()
                     if len({repr(s.model_json_schema()) for s in schemas}) > 1)
    assert clashes == []
