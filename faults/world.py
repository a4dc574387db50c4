"""The world every scenario runs in: a PostgreSQL cluster and a Redis of the harness's own, the demo
province seeded into them, the app under gunicorn in production settings and one huey worker.

`World.build` starts it all in a temporary folder; the `Stack` it is given stops it all (and
removes the folder) whatever happens. Logs stay in the folder until then; FAULTS_KEEP=1 keeps them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faults.client import Client
from faults.load import Places
from faults.procs import VENV_BIN, App, Postgres, Redis, Stack, Worker, run, wait_for

MEDIA_RESERVE = 256 * 1024  # the app's free-space guard on the media disk (scenario e mounts a small one)


@dataclass
class World:
    root: Path
    pg: Postgres
    redis: Redis
    app: App
    worker: Worker
    env: dict[str, str]
    seed: dict[str, Any]

    @property
    def media(self) -> Path:
        return Path(self.env["MEDIA_ROOT"])

    def client(self, who: str = "cadre", start: float | None = None) -> Client:
        token = self.seed["cadre_token"] if who == "cadre" else self.seed["leader_token"] if who == "leader" else ""
        return Client(self.app.port, token=token, start=start)

    def gandan(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return run([str(VENV_BIN / "gandan"), *args], env=self.env, timeout=timeout, log=self.root / "commands.log",
                   check=False)

    def python(self, code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-c", code], env=self.env, timeout=timeout, log=self.root / "commands.log",
                   check=False)

    @classmethod
    def build(cls, stack: Stack, say: Any) -> World:
        root = Path(tempfile.mkdtemp(prefix="gandan-faults-"))
        os.chmod(root, 0o755)
        if not os.environ.get("FAULTS_KEEP"):
            stack.started(lambda: shutil.rmtree(root, ignore_errors=True))
        say(f"folder {root}")
        pg = Postgres(root / "pg")
        pg.init()
        pg.start()
        stack.started(lambda: pg.stop("immediate") if pg.running() else None)
        pg.create_db()
        redis = Redis(root)
        redis.start()
        stack.started(redis.stop)
        say(f"PostgreSQL 15 on 127.0.0.1:{pg.port}, Redis on 127.0.0.1:{redis.port}")
        (root / "media").mkdir()
        (root / "var").mkdir()
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}
        env = {**base, "PYTHONDONTWRITEBYTECODE": "1", "DATABASE_URL": pg.url, "REDIS_URL": redis.url,
               "GANDAN_VAR_DIR": str(root / "var"), "MEDIA_ROOT": str(root / "media"), "LOG_LEVEL": "WARNING",
               "GANDAN_MEDIA_RESERVE_BYTES": str(MEDIA_RESERVE), "GANDAN_LANGUAGE": "en"}
        development = {**env, "GANDAN_ENV": "development"}
        started = time.monotonic()
        run([str(VENV_BIN / "gandan"), "migrate", "--noinput", "-v0"], env=development, timeout=900,
            log=root / "commands.log")
        say(f"migrated in {time.monotonic() - started:.0f} s")
        seeded = run([sys.executable, "-m", "faults.seed"], env=development, timeout=900, log=root / "commands.log")
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        pg.durable()
        say(f"seeded the demo's two featured communes; {time.monotonic() - started:.0f} s in all; "
            f"fsync {pg.sql('SHOW fsync')} from now on")
        production = {**env, "GANDAN_ENV": "production", "SECRET_KEY": "faults-" + os.urandom(16).hex(),
                      "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0"}
        production.pop("GANDAN_LANGUAGE")
        app = App(root, production)
        app.start()
        stack.started(app.stop)
        worker = Worker(production, root)
        worker.start()
        stack.started(worker.stop)
        world = cls(root, pg, redis, app, worker, production, seed)
        wait_for(lambda: world.client().call("GET", "/health/").ok, timeout=120, what="the app's health check")
        Places.of(world.client())  # warm both workers' first API call up before any timing
        say(f"gunicorn on 127.0.0.1:{app.port} (2 workers × 4 threads), one huey worker; production settings")
        return world
