"""The processes a fault harness runs and breaks, all on 127.0.0.1 and on ports of their own: a
throwaway PostgreSQL cluster (initdb in a temporary folder), a redis-server, the app under gunicorn
and a huey worker (`gandan worker`). Nothing here touches the machine's own PostgreSQL or Redis.

Every process starts in a session of its own, so that a stop (or a kill -9) reaches its children
too; `Stack` stops everything it started, in reverse order, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent
PG_USER = "postgres"  # PostgreSQL refuses to run as root: the cluster belongs to this account


class StartFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], *, timeout: float, what: str, step: float = 0.2) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(step)
    raise StartFailed(f"{what}: not ready after {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _as_pg_user(cmd: Sequence[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *cmd] if os.geteuid() == 0 else list(cmd)


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 120, log: Path | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(cmd), env=env, timeout=timeout, text=True, capture_output=True)
    if log is not None:
        with log.open("a") as out:
            out.write(f"$ {' '.join(cmd)}\n{result.stdout}{result.stderr}\n")
    if check and result.returncode != 0:
        raise StartFailed(f"{' '.join(cmd[:3])}… exited {result.returncode}: {result.stderr.strip()[-400:]}")
    return result


@dataclass
class Proc:
    """One long-running process in its own session (so a signal reaches its children)."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        out = self.log.open("ab")
        self.popen = subprocess.Popen(self.cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(5)
        with contextlib.suppress(ProcessLookupError):  # a child that outlived its leader
            os.killpg(self.pid, signal.SIGKILL)

    def kill9(self) -> None:
        """kill -9 the whole process group (gunicorn's master and every worker)."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(10)

    def children(self) -> list[int]:
        """The pids of the direct children (gunicorn's workers)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []


@dataclass
class Postgres:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "pgdata"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]), timeout=timeout,
            log=self.root / "pg_ctl.log")

    def init(self) -> None:
        self.data.mkdir(parents=True)
        sockets = self.root / "pgsock"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, PG_USER)
            shutil.chown(self.data, PG_USER)
            shutil.chown(sockets, PG_USER)
        run(_as_pg_user([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--locale=C.UTF-8"]), log=self.root / "pg_ctl.log")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sockets}'\n"
                       "max_connections = 60\nshared_buffers = 64MB\nlogging_collector = off\n"
                       # Fast while the world is built; durable() turns safety back on before any fault.
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")

    def durable(self) -> None:
        """fsync, synchronous commits and full pages on again (a reload is enough for all three)."""
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            self.sql(f"ALTER SYSTEM SET {name} = on")
        self.sql("SELECT pg_reload_conf()")

    def start(self) -> None:
        self._ctl("-l", str(self.data / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_db(self) -> None:
        run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "faults"])

    def sql(self, query: str) -> str:
        return run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "faults",
                    "-At", "-c", query]).stdout.strip()


@dataclass
class Redis:
    root: Path
    port: int = field(default_factory=free_port)
    proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        folder = self.root / "redis"
        folder.mkdir(exist_ok=True)
        # The append-only file keeps what was queued across a stop, as a production Redis would.
        self.proc = Proc("redis", ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "yes", "--dir", str(folder), "--protected-mode", "yes"],
                         dict(os.environ), self.root / "redis.log")
        self.proc.start()
        wait_for(lambda: port_open(self.port), timeout=20, what="redis")

    def stop(self) -> None:
        if self.proc is not None and self.proc.alive():
            run(["redis-cli", "-p", str(self.port), "shutdown"], check=False, timeout=20)
            self.proc.stop()


@dataclass
class App:
    """gunicorn serving gandan.wsgi, two workers of four threads."""

    root: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: Proc | None = None

    def start(self, *, wait: bool = True) -> None:
        self.proc = Proc("gunicorn", [str(VENV_BIN / "gunicorn"), "gandan.wsgi:application", "--bind",
                                      f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "gthread",
                                      "--threads", "4", "--timeout", "30", "--graceful-timeout", "3", "--preload",
                                      "--log-level", "warning"], self.env, self.root / "gunicorn.log")
        self.proc.start()
        if wait:
            wait_for(lambda: port_open(self.port), timeout=60, what="gunicorn")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill9()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


@dataclass
class Worker:
    env: dict[str, str]
    root: Path
    proc: Proc | None = None

    def start(self) -> None:
        self.proc = Proc("worker", [str(VENV_BIN / "gandan"), "worker"], self.env, self.root / "worker.log")
        self.proc.start()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


class Stack(contextlib.ExitStack):
    """Stops what was pushed on it, last first, even on failure or Ctrl-C."""

    def started(self, stop: Callable[[], None]) -> None:
        def safe() -> None:
            with contextlib.suppress(Exception):
                stop()
        self.callback(safe)


@contextlib.contextmanager
def time_bound(seconds: int, what: str) -> Iterator[None]:
    """Raise TimeoutError in the main thread once `seconds` have passed (the scenario's hard bound)."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what}: over its bound of {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
