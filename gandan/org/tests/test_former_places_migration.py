"""The data migration org 0007: merges applied before FormerPlace existed get the rows a merge writes now,
rebuilt from what is on record (the merges, the units' creation events, the counts moved), through a chain
and across provinces; a merge whose children cannot be told apart gets none for those and is named; running
it again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gandan.core.text import fold
from gandan.org.models import AdminUnit, FormerPlace
from gandan.org.services import unit_merge
from gandan.org.testing import level, make_unit

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes cannot run inside the test's transaction
BEFORE = ("org", "0006_former_places")
DAY = dt.date(2026, 3, 15)


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def bulk_village(commune: AdminUnit, code: str) -> AdminUnit:
    """A village made as the demo and the imports make them: in bulk, with no audit event of its own."""
    name = f"Thôn {code}"
    [village] = AdminUnit.objects.bulk_create([AdminUnit(
        code=code, name=name, name_folded=fold(name), level=level("village"), parent=commune,
        province_id=commune.province_id, path=f"{commune.path}.{code}", depth=commune.depth + 1)])
    return AdminUnit.objects.get(code=code, level__code="village")


def rows() -> set[tuple[int, int, dt.date]]:
    return set(FormerPlace.objects.values_list("unit_id", "former_id", "until"))


def backfilled(capsys) -> tuple[set[tuple[int, int, dt.date]], str]:
    """The rows the migration writes once the merges' own are gone, as before 0006, and what it said."""
    FormerPlace.objects.all().delete()
    migrate([BEFORE])
    migrate()
    return rows(), capsys.readouterr().out


def test_merges_applied_before_former_places_get_their_rows(capsys):
    p = make_unit("province", "Tỉnh Thử", code="P1")
    q = make_unit("province", "Tỉnh Khác", code="P2")
    s, t = make_unit("commune", "Xã S", p, code="S1"), make_unit("commune", "Xã T", p, code="T1")
    u = make_unit("commune", "Xã U", q, code="U1")
    s1, t1, u1 = make_unit("village", "Thôn S", s), make_unit("village", "Thôn T", t), make_unit("village", "Thôn U", u)
    lone = make_unit("commune", "Xã L", p, code="L1")  # its villages made in bulk; merging into an empty commune
    empty = make_unit("commune", "Xã E", p, code="E1")
    lone_villages = [bulk_village(lone, "L101"), bulk_village(lone, "L102")]
    unit_merge(actor=None, sources=[s], target=t, effective=DAY)
    unit_merge(actor=None, sources=[t], target=u, effective=DAY)  # across provinces, in a chain
    unit_merge(actor=None, sources=[lone], target=empty, effective=DAY)
    unit_merge(actor=None, sources=[p], target=q, effective=DAY)  # the emptied province: E and what it holds
    written_at_merge = rows()
    assert {(s1.pk, s.pk, DAY), (s1.pk, t.pk, DAY), (t1.pk, t.pk, DAY)} <= written_at_merge
    assert {(v.pk, lone.pk, DAY) for v in lone_villages} <= written_at_merge
    assert {(x.pk, p.pk, DAY) for x in (empty, lone, *lone_villages)} <= written_at_merge

    found, said = backfilled(capsys)
    assert found == written_at_merge
    assert said.strip() == ""
    assert (u1.pk, t.pk, DAY) not in found  # U's own village never lay below T

    found_again, _said = backfilled(capsys)  # from scratch again, then over rows already there
    migrate([BEFORE])
    migrate()
    assert found_again == rows() == written_at_merge


def test_children_that_cannot_be_told_apart_get_no_rows_and_are_named(capsys):
    p = make_unit("province", "Tỉnh Thử", code="P1")
    x, y = make_unit("commune", "Xã X", p, code="X1"), make_unit("commune", "Xã Y", p, code="Y1")
    x1, y1 = bulk_village(x, "X101"), bulk_village(y, "Y101")  # no event says which commune each was made in
    known = make_unit("village", "Thôn X2", x)  # this one's event does
    unit_merge(actor=None, sources=[x], target=y, effective=DAY)
    assert {(x1.pk, x.pk, DAY), (known.pk, x.pk, DAY)} <= rows()

    found, said = backfilled(capsys)
    assert found == {(known.pk, x.pk, DAY)}
    assert f"merge of unit {x.pk} into {y.pk}" in said and str(sorted([x1.pk, y1.pk])) in said
