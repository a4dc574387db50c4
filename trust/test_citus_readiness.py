"""The schema stays ready for distribution by province (Citus): `trust/citus.py` reads every model's
unique constraints and foreign keys; a finding fails until it is fixed or exempted with its reason."""

# ruff: noqa: DJ008  (the throwaway models of one test need no __str__)
from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from trust import citus


def test_every_finding_of_the_schema_is_fixed_or_exempt_with_its_reason():
    found = citus.findings()
    unexplained = [f.detail for f in found if f.key not in citus.EXEMPT]
    assert not unexplained, ("not ready for distribution by province (fix it, or name it in "
                             "trust/citus.py EXEMPT with the reason):\n" + "\n".join(unexplained))
    assert all(reason.strip() for reason in citus.EXEMPT.values())
    assert all(reason.strip() for reason in (*citus.REFERENCE.values(), *citus.LOCAL.values()))


def test_no_exemption_outlives_its_finding():
    keys = {f.key for f in citus.findings()}
    stale = sorted(set(citus.EXEMPT) - keys)
    assert not stale, f"fixed, so remove from trust/citus.py EXEMPT: {stale}"
    named = set(citus.REFERENCE) | set(citus.LOCAL) | set(citus.DISTRIBUTION_COLUMN)
    assert named <= {m._meta.label for m in citus.schema_models()}


def test_the_large_tables_are_distributed_and_the_tree_is_a_reference_table():
    distributed = set(citus.primary_keys_to_widen())
    assert {"org.Household", "people.Cadre", "fieldwork.Visit", "petitions.Petition", "plans.Task",
            "evaluation.Sheet", "campaigns.CampaignEvent", "core.AuditEvent"} <= distributed
    assert not distributed & {"org.AdminUnit", "org.UnitLevel", "people.User"}


@isolate_apps("gandan.core")
def test_the_rules_find_a_unique_without_province_a_nullable_province_and_foreign_keys_across_kinds():
    class Province(models.Model):
        class Meta:
            app_label = "core"

    class Parent(models.Model):
        province = models.ForeignKey(Province, null=True, on_delete=models.CASCADE)
        code = models.CharField(max_length=9, unique=True)

        class Meta:
            app_label = "core"
            constraints = [models.UniqueConstraint(fields=["province", "code"], name="fine_unique")]

    class Child(models.Model):  # no province of its own
        parent = models.ForeignKey(Parent, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    class Loose(models.Model):
        class Meta:
            app_label = "core"

    class Pointer(models.Model):
        province = models.ForeignKey(Province, on_delete=models.CASCADE)
        loose = models.ForeignKey(Loose, on_delete=models.CASCADE)
        parent = models.ForeignKey(Parent, on_delete=models.CASCADE)  # co-located: fine

        class Meta:
            app_label = "core"

    # The test's Province stands for the administrative tree (a reference table).
    citus.REFERENCE["core.Province"] = "the tree, in this test"
    try:
        keys = {f.key for f in citus.findings([Province, Parent, Child, Loose, Pointer])}
        colocated = {(m._meta.label, f.name) for m, f in citus.colocated_foreign_keys()}
    finally:
        del citus.REFERENCE["core.Province"]
    assert keys == {"unique:core.Parent:code", "nullable:core.Parent", "child-without-province:core.Child.parent",
                    "unclassified:core.Loose", "fk-to-local:core.Pointer.loose"}
    assert any(label == "fieldwork.VisitUnit" and name == "visit" for label, name in colocated)


@contextmanager
def _quiet(total, desc):
    class Bar:
        def update(self, n=1):
            pass
    yield Bar()


@pytest.mark.django_db
def test_every_co_located_row_is_in_the_province_of_the_row_it_points_at():
    """Generated data of two provinces: each row's province is its target's, so each foreign key between
    distributed tables can become (province_id, x_id) → x (province_id, id)."""
    from gandan.demo.gen import generate
    from gandan.fieldwork.models import Visit
    from gandan.org.services import levels_ensure, unit_create

    levels = levels_ensure()
    for p in ("91", "92"):
        province = unit_create(actor=None, level=levels["province"], code=p, name=f"Tỉnh {p}")
        for c in range(2):
            unit_create(actor=None, level=levels["commune"], code=f"{p}00{c}", name=f"Xã {p}-{c}", parent=province)
    generate(scale=0.004, seed=5, bar=_quiet, provinces=2)
    assert Visit.objects.values("province").distinct().count() == 2

    counts = citus.rows_across_provinces()
    assert len(counts) == len(citus.colocated_foreign_keys()) > 50
    assert {key: n for key, n in counts.items() if n} == {}


@pytest.mark.django_db
def test_the_database_has_no_unique_index_the_models_do_not_declare():
    """PostgreSQL's own catalogue, so that a unique index made by hand (RunSQL) is seen too."""
    if connection.vendor != "postgresql":
        pytest.skip("reads pg_index")
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT t.relname, array_agg(a.attname ORDER BY a.attname), bool_or(x.indexprs IS NOT NULL)
            FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey)
            WHERE x.indisunique AND NOT x.indisprimary AND t.relnamespace = 'public'::regnamespace
            GROUP BY t.relname, i.relname""")
        in_database = {(table, tuple(sorted(cols))) for table, cols, expr in cursor.fetchall() if not expr}
    declared = {(m._meta.db_table, cols) for m in citus.schema_models() for cols in citus.unique_column_sets(m)}
    tables = {m._meta.db_table for m in citus.schema_models()}
    extra = {(t, c) for t, c in in_database if t in tables} - declared
    assert not extra, f"unique indexes the models do not declare (trust/citus.py cannot see them): {extra}"
