"""Start and stop the parts of a local cluster, each on 127.0.0.1 on a port of its own and with its
files in a directory of its own: never this machine's own PostgreSQL (5432) or Redis (6379).

Reusable on its own (the fault harness can share it):

    pg = Postgres(root / "pg-primary", free_port()); pg.init(); pg.start()
    replica = pg.replica(root / "pg-replica", free_port()); replica.start()
    redis = Service.start("redis", ["redis-server", "--port", str(port), ...], root / "logs")
    ...; service.kill(); pg.stop()

PostgreSQL refuses to run as root: when we are root, its programs (and pgbouncer's) run as the
`postgres` user, which then owns the data directories. Every process is started in a session of its
own, so that a kill reaches it and its children, and only them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PG_BIN = Path(os.environ.get("CLUSTER_PG_BIN", "/usr/lib/postgresql/15/bin"))
RESERVED = {5432, 6379}  # the machine's own PostgreSQL and Redis, used by others


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice), never one of RESERVED."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in RESERVED:
            return port


def wait_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} ended with {proc.returncode} before port {port} opened")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def as_root() -> bool:
    return os.geteuid() == 0


def _service_user() -> dict[str, Any]:
    """Popen arguments that run a program as `postgres` when we are root."""
    return {"user": "postgres", "group": "postgres"} if as_root() else {}


def own_dir(path: Path) -> Path:
    """A directory the service user may write (postgres when we are root)."""
    path.mkdir(parents=True, exist_ok=True)
    if as_root():
        shutil.chown(path, "postgres", "postgres")
    path.chmod(0o700)
    return path


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}{done.stdout[-1000:]}")
    return done


@dataclass
class Service:
    """A long-running process: its name, pid (the leader of its own session) and log."""

    name: str
    pid: int
    log: str

    @classmethod
    def start(cls, name: str, args: list[str], log_dir: Path, *, env: dict[str, str] | None = None,
              cwd: Path | None = None, as_service_user: bool = False) -> Service:
        log_dir.mkdir(parents=True, exist_ok=True)
        log = log_dir / f"{name}.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=env, cwd=cwd, start_new_session=True,
                                    **(_service_user() if as_service_user else {}))
        service = cls(name, proc.pid, str(log))
        service._proc = proc  # type: ignore[attr-defined]
        return service

    @property
    def proc(self) -> subprocess.Popen | None:
        return getattr(self, "_proc", None)

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # a zombie of another parent still answers; /proc tells
        with contextlib.suppress(OSError):
            return Path(f"/proc/{self.pid}/stat").read_text().split()[2] != "Z"
        return True

    def signal(self, sig: int) -> None:
        """Send `sig` to the whole session (the process and its children), and only it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL, no goodbye: what a crash or the OOM killer does."""
        self.signal(signal.SIGKILL)
        self.wait(10)

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        if not self.wait(timeout):
            self.kill()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(0.1)
            if not self.alive():
                return True
            time.sleep(0.05)
        return False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "pid": self.pid, "log": self.log}


@dataclass
class Postgres:
    """One PostgreSQL cluster (initdb'd directory) on its own port, listening on 127.0.0.1 only; its
    socket is in its data directory."""

    datadir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _ctl(self, *args: str) -> None:
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), *args], **_service_user())

    def init(self, **settings: str) -> None:
        own_dir(self.datadir)
        run([str(PG_BIN / "initdb"), "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8"], **_service_user())
        base = {"listen_addresses": "'127.0.0.1'", "unix_socket_directories": f"'{self.datadir}'",
                "shared_buffers": "'64MB'", "max_connections": "80", "wal_level": "replica",
                "max_wal_senders": "5", "hot_standby": "on", "logging_collector": "off",
                "log_min_messages": "warning"}
        base.update(settings)
        with open(self.datadir / "postgresql.auto.conf", "a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in base.items())

    def start(self) -> None:
        self._ctl("-l", str(self.datadir / "server.log"), "-o", f"-p {self.port}", "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.datadir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._ctl("-m", mode, "-w", "-t", "60", "stop")

    def replica(self, datadir: Path, port: int) -> Postgres:
        """A streaming replica of this (running) cluster: pg_basebackup -R writes standby.signal and
        primary_conninfo; the copy then listens on its own port and socket."""
        own_dir(datadir)
        run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-D", str(datadir), "-R", "-X", "stream", "-c", "fast"], **_service_user())
        with open(datadir / "postgresql.auto.conf", "a") as conf:
            conf.write(f"unix_socket_directories = '{datadir}'\n")
        return Postgres(datadir, port)

    def sql(self, query: str, dbname: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(f"{self.url}/{dbname}", autocommit=True, connect_timeout=5) as conn:
            cur = conn.execute(query)
            return cur.fetchall() if cur.description else []
