"""Materialised paths: a tree node's path is its ancestors' keys joined by `PATH_SEP`
(`01.00070.0003`), so that "this node and everything below it" is one indexed prefix match on
any database. Plain helpers over path strings; the tree itself is `org.AdminUnit`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

PATH_SEP = "."


def path_within(path: str, ancestor: str) -> bool:
    """True when `path` is `ancestor` or lies below it."""
    return path == ancestor or path.startswith(ancestor + PATH_SEP)


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """The paths of the list that lie under no other path of it, sorted."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path_within(path, p) for p in result):
            result.append(path)
    return result


def path_q(paths: Iterable[str], field: str = "path") -> Q:
    """Q matching rows whose `field` (a path) is one of `paths` or lies below one. Empty → nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEP})
    return q
