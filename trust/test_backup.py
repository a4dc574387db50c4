"""`gandan backup` then `gandan restore` into a fresh database, on the database the tests run on
(SQLite, or PostgreSQL with DATABASE_URL): every table's rows come back and the audit chain verifies;
a restore whose counts differ from the backup's manifest fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from gandan.core.backup import manifest_path, table_counts
from gandan.petitions import services
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[str]:
    """The URL of an empty database of the same engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def gandan(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "GANDAN_ENV": "test", "GANDAN_LANGUAGE": "en"}
    return subprocess.run([sys.executable, "-m", "gandan.cli", *args], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_a_verifiable_audit_chain(
        world, tmp_path, fresh_database):
    services.petition_accept(actor=world.commune_a_leader, petition=receive(world, citizen_phone="0911000111"))
    saved = table_counts()
    path = tmp_path / "gandan.backup"
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert path.stat().st_size > 0
    manifest = json.loads(manifest_path(path).read_text())
    assert manifest["counts"] == saved and manifest["engine"] == connection.vendor
    assert saved["core_auditevent"] > 0 and saved["petitions_petition"] == 1

    restored = gandan("restore", str(path), database_url=fresh_database)
    assert restored.returncode == 0, restored.stderr
    assert "match the backup" in restored.stdout and "intact" in restored.stdout.lower(), restored.stdout
    verified = gandan("audit", "verify", database_url=fresh_database)
    assert verified.returncode == 0, verified.stderr


def test_a_restore_whose_rows_differ_from_the_manifest_fails(world, tmp_path, fresh_database):
    path = tmp_path / "gandan.backup"
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads(manifest_path(path).read_text())
    manifest["counts"]["org_adminunit"] += 1
    manifest_path(path).write_text(json.dumps(manifest))
    restored = gandan("restore", str(path), database_url=fresh_database)
    assert restored.returncode != 0 and "org_adminunit" in restored.stderr


def test_a_missing_backup_file_is_refused_naming_it(tmp_path, fresh_database):
    missing = Path(tmp_path / "nothing.dump")
    restored = gandan("restore", str(missing), database_url=fresh_database)
    assert restored.returncode != 0 and str(missing) in restored.stderr
