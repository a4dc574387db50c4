"""Backups of the whole database, and their restore: PostgreSQL through pg_dump/pg_restore (custom
format), SQLite through its online backup API. Beside each backup a manifest (`<file>.manifest.json`)
keeps the engine and every table's row count, so that a restore can tell that it brought back what
was saved; the command then verifies the audit chain (core/management/commands/restore.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A backup or a restore that could not be done; the message says why, translated."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def table_counts() -> dict[str, int]:
    """Rows of every table of the product's models (and Django's), by table name."""
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.managed and not m._meta.proxy})
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # our own table names
                counts[table] = cursor.fetchone()[0]
    return counts


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(engine)s.") % {"engine": vendor})
    return vendor


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _run(tool: list[str]) -> None:
    done = subprocess.run(tool, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(_("%(tool)s thất bại: %(error)s") % {"tool": tool[0],
                                                             "error": done.stderr.strip()[-2000:]})


def backup(path: Path) -> Manifest:
    """Save the whole database to `path` (and its manifest beside it)."""
    engine = _engine()
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(engine=engine, created_at=timezone.now().isoformat(), counts=table_counts())
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    else:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    manifest_path(path).write_text(json.dumps(asdict(manifest), indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(path: Path) -> Manifest | None:
    where = manifest_path(path)
    if not where.exists():
        return None
    data: dict[str, Any] = json.loads(where.read_text(encoding="utf-8"))
    return Manifest(engine=data["engine"], created_at=data["created_at"], counts=data.get("counts", {}))


def restore(path: Path) -> tuple[Manifest | None, dict[str, int]]:
    """Replace the whole database by the backup at `path`; returns its manifest (None without one) and
    the row counts found after the restore."""
    if not path.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
    engine = _engine()
    manifest = read_manifest(path)
    if manifest is not None and manifest.engine != engine:
        raise BackupError(_("Tệp sao lưu của %(saved)s, không khôi phục được vào %(engine)s.")
                          % {"saved": manifest.engine, "engine": engine})
    if engine == "postgresql":
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(path)])
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return manifest, table_counts()


def differences(manifest: Manifest, counts: dict[str, int]) -> list[str]:
    """Tables whose rows differ from the manifest, as "table: saved → found"."""
    return [f"{table}: {manifest.counts.get(table, 0)} → {counts.get(table, 0)}"
            for table in sorted(manifest.counts.keys() | counts.keys())
            if manifest.counts.get(table, 0) != counts.get(table, 0)]


def default_path() -> Path:
    from django.conf import settings

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    return Path(settings.VAR_DIR) / "backups" / f"gandan-{stamp}{suffix}"
