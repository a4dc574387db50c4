"""The data migration org 0003: units merged before it (successor set, path under the old parent) are
re-rooted under their successor and point at their heir, chains included; migrating back keeps them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gandan.org.models import AdminUnit
from gandan.org.testing import make_unit

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes cannot run inside the test's transaction


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)


def test_units_merged_before_the_migration_count_under_their_heir():
    province = make_unit("province", "Tỉnh Thử", code="P1")
    s, t, u = (make_unit("commune", name, province, code=code) for name, code in
               (("Xã S", "S1"), ("Xã T", "T1"), ("Xã U", "U1")))
    migrate([("org", "0002_unit_centre")])
    try:
        # the old way: valid_to and successor only, the path left under the old parent
        AdminUnit.objects.filter(pk=s.pk).update(valid_to=dt.date(2025, 1, 1), successor=t.pk)
        AdminUnit.objects.filter(pk=t.pk).update(valid_to=dt.date(2025, 7, 1), successor=u.pk)
    finally:
        migrate()
    s, t, u = (AdminUnit.objects.get(pk=x.pk) for x in (s, t, u))
    assert (s.heir_id, t.heir_id, u.heir_id) == (u.pk, u.pk, None)
    assert t.path == u.path + ".~commune-T1" and s.path == t.path + ".~commune-S1"
    assert (s.depth, t.depth) == (u.depth + 2, u.depth + 1)
