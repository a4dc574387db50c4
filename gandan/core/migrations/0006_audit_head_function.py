"""On PostgreSQL, one function takes a chain's append lock and reads its head, so that an audited
write spends one round trip on it instead of two (core/audit.py). Being VOLATILE PL/pgSQL, its read
runs after the lock is granted, with a fresh snapshot: it sees the event the previous holder
committed. SQLite needs nothing (one writer at a time)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION gandan_audit_head(lock_key integer, chain_id bigint)
RETURNS TABLE(out_seq bigint, out_hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key, (chain_id %% 2147483648)::integer);
    RETURN QUERY SELECT e.seq::bigint, e.hash::varchar FROM core_auditevent e
                 WHERE e.chain = chain_id ORDER BY e.seq DESC LIMIT 1;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS gandan_audit_head(integer, bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_audit_chain_seq_unique"),
    ]

    operations = [migrations.RunPython(create, drop)]
