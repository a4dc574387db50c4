"""The staging table of a household import on PostgreSQL (org/imports.py): each checked batch is
COPied into a temporary table with its line numbers, the codes already in the province are found by
one join over the whole file, and the households are written by one INSERT … SELECT, as the bench's
raw COPY reference does (bench/imports.py). A query per batch for the codes, and a COPY into the
household table with its indexes per batch, kept the import at a fifth to a third of that reference.

The table lives in the import's transaction (ON COMMIT DROP) and is emptied when an import opens it,
so that two imports in one transaction (a test, a caller's atomic block) do not see each other's rows.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from gandan.org.models import Household

STAGING = "gandan_household_import"
# The values of HouseholdValues after its two timestamps (the INSERT stamps every row with the
# transaction's time: two datetimes less to format per row), after the line each came from.
COLUMNS = ("province_id", "village_id", "code", "head_name", "head_name_folded", "address", "phone", "members")


def household_staging_open() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (line integer, province_id bigint,"
                       " village_id bigint, code text, head_name text, head_name_folded text, address text,"
                       " phone text, members integer) ON COMMIT DROP")
        cursor.execute(f"TRUNCATE {STAGING}")


def household_staging_add(rows: list[tuple[Any, ...]]) -> None:
    """(line, *COLUMNS) for each row of a batch."""
    if not rows:
        return
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def household_staging_taken() -> list[tuple[int, str]]:
    """(line, code) of the staged rows whose code the province already has, by line."""
    table = connection.ops.quote_name(Household._meta.db_table)
    # A lookup of the unique index per staged row (LIMIT 1 in a lateral subquery keeps it one): a plain
    # join is planned as a hash join over a sequential scan of every household in the country, 1.3 s
    # for 20,000 rows against 1.4 million households where the lookups take 0.1 s (EXPLAIN ANALYZE).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.line, s.code FROM {STAGING} s CROSS JOIN LATERAL (SELECT 1 FROM {table} h"
                       " WHERE h.province_id = s.province_id AND h.code = s.code LIMIT 1) found ORDER BY s.line")
        return list(cursor.fetchall())


def household_staging_write() -> None:
    table = connection.ops.quote_name(Household._meta.db_table)
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (created_at, updated_at, {columns})"
                       f" SELECT now(), now(), {columns} FROM {STAGING}")
        cursor.execute(f"TRUNCATE {STAGING}")
