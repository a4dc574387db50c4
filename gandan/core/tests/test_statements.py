"""Statements compiled once (gandan/core/statements.py): the same rows as the queryset they were
compiled from, for any values; and a refusal, at compile time, of what would silently stay fixed."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gandan.core import statements
from gandan.core.models import ApiKey

pytestmark = pytest.mark.django_db


def keys_of(*, user_id, since, kind, ids):
    return (ApiKey.objects.filter(Q(user_id=user_id) | Q(created_at__date__gte=since), kind=kind, pk__in=ids)
            .order_by("pk").values_list("pk", "name", "scopes", "created_at", "user_id"))


@pytest.fixture
def rows(db):
    users = get_user_model().objects
    ann, bao = users.create_user("ann"), users.create_user("bao")
    old = timezone.now() - dt.timedelta(days=30)
    made = [ApiKey.objects.create(kind=kind, name=f"khóa {i}", prefix="p", key_hash=f"h{i}", user=user,
                                  scopes=["api", str(i)])
            for i, (kind, user) in enumerate([("a", ann), ("a", bao), ("b", ann), ("a", None), ("a", bao)])]
    ApiKey.objects.filter(pk__in=[made[1].pk, made[3].pk]).update(created_at=old)
    return ann, bao, made


def test_a_prepared_statement_gives_the_querysets_rows_for_any_values(rows):
    ann, bao, made = rows
    prepared = statements.prepare(keys_of, user_id=statements.mark_int(), since=statements.mark_date(),
                                  kind=statements.mark_text(), ids=[statements.mark_int() for _ in range(3)])
    cases = [dict(user_id=ann.pk, since=dt.date(2000, 1, 1), kind="a", ids=[m.pk for m in made[:3]]),
             dict(user_id=bao.pk, since=timezone.localdate(), kind="a", ids=[m.pk for m in made[1:4]]),
             dict(user_id=ann.pk, since=timezone.localdate(), kind="b", ids=[made[2].pk, made[4].pk, 10**9])]
    for values in cases:
        expected = list(keys_of(**values))
        assert prepared.rows(**values) == expected and expected
    # Converted as the queryset converts them: JSON as lists, times as aware datetimes (SQLite too).
    _pk, _name, scopes, created, _user = prepared.rows(**cases[0])[0]
    assert scopes == ["api", "0"] and isinstance(created, dt.datetime) and created.tzinfo is not None


def test_calling_a_prepared_statement_builds_no_queryset(rows, monkeypatch):
    _ann, bao, made = rows
    prepared = statements.prepare(keys_of, user_id=statements.mark_int(), since=statements.mark_date(),
                                  kind=statements.mark_text(), ids=[statements.mark_int()])

    def refuse(*args, **kwargs):
        raise AssertionError("built a queryset")

    monkeypatch.setattr(ApiKey.objects, "filter", refuse)
    with CaptureQueriesContext(connection) as ctx:
        found = prepared.rows(user_id=bao.pk, since=dt.date(2000, 1, 1), kind="a", ids=[made[1].pk])
    assert [r[0] for r in found] == [made[1].pk] and len(ctx.captured_queries) == 1


def test_a_value_computed_from_a_marker_is_refused_when_compiled(db):
    def this_month(day):
        return ApiKey.objects.filter(created_at__date__lte=day,
                                     created_at__date__gte=day.replace(day=1)).values_list("pk")

    with pytest.raises(RuntimeError, match="derived from a marker"):
        statements.prepare(this_month, day=statements.mark_date())


def test_a_marker_the_queryset_leaves_out_is_refused_when_compiled(db):
    def keys(kind, user_id):
        return ApiKey.objects.filter(kind=kind).values_list("pk")  # user_id forgotten

    with pytest.raises(RuntimeError, match="user_id"):
        statements.prepare(keys, kind=statements.mark_text(), user_id=statements.mark_int())


def test_markers_are_values_no_row_holds():
    values = [statements.mark_int(), statements.mark_date(), statements.mark_uuid(), statements.mark_text()]
    assert values[0] < -2_000_000_000 and values[1].year < 1900 and values[1].day == 13
    assert isinstance(values[2], uuid.UUID) and values[3].startswith("marked-")
    assert len({statements.mark_int() for _ in range(100)}) == 100
