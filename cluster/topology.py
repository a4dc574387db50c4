"""Bring the whole cluster up and down (see the package docstring); the state (ports, pids, logs) is
kept in state.json so that another command finds it."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cluster.launcher import PG_BIN, Postgres, Service, as_root, free_port, own_dir, run, wait_port

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("CLUSTER_DIR", REPO / "var" / "cluster"))
BIN = Path(sys.executable).parent
APPS = int(os.environ.get("CLUSTER_APPS", 3))
WORKERS = int(os.environ.get("CLUSTER_WORKERS", 2))
DATA = os.environ.get("CLUSTER_DATA", "world")  # or "demo": load-units and the demo (minutes more)
DEMO_SCALE = os.environ.get("CLUSTER_DEMO_SCALE", "0.05")
DB = "gandan"


def state_path() -> Path:
    return ROOT / "state.json"


def load_state() -> dict[str, Any] | None:
    path = state_path()
    return json.loads(path.read_text()) if path.exists() else None


def save_state(state: dict[str, Any]) -> None:
    state_path().write_text(json.dumps(state, indent=2))


def app_env(state: dict[str, Any], *, direct: bool = False) -> dict[str, str]:
    """The environment of every app process: production settings on the cluster's servers. `direct`
    talks to the primary itself (migrations, the test's checks) instead of through pgbouncer."""
    ports = state["ports"]
    db = f"postgres://postgres@127.0.0.1:{ports['primary']}/{DB}" if direct else \
        f"postgres://postgres@127.0.0.1:{ports['pgbouncer']}/{DB}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "GANDAN_"))}
    env.update({
        "GANDAN_ENV": "production", "SECRET_KEY": state["secret_key"], "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: there is no TLS to end here
        "DATABASE_URL": db, "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "GANDAN_VAR_DIR": str(ROOT / "var"), "LOG_LEVEL": "WARNING", "PYTHONDONTWRITEBYTECODE": "1",
    })
    if not direct:
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{ports['pgbouncer']}/{DB}_replica"
        env["DATABASE_POOLER"] = "transaction"
    return env


def _pgbouncer_config(state: dict[str, Any]) -> Path:
    ports, home = state["ports"], own_dir(ROOT / "pgbouncer")
    ini = home / "pgbouncer.ini"
    ini.write_text(f"""[databases]
{DB} = host=127.0.0.1 port={ports['primary']} dbname={DB} user=postgres
{DB}_replica = host=127.0.0.1 port={ports['replica']} dbname={DB} user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {ports['pgbouncer']}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {home / 'pgbouncer.log'}
pidfile = {home / 'pgbouncer.pid'}
""")
    if as_root():
        shutil.chown(ini, "postgres", "postgres")
    return ini


def _nginx_config(state: dict[str, Any]) -> Path:
    home = ROOT / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (home / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in state["ports"]["apps"])
    conf = home / "nginx.conf"
    conf.write_text(f"""# The cluster's nginx (cluster/topology.py): one upstream of every app server.
daemon off;
worker_processes 1;
pid {home / 'nginx.pid'};
error_log {home / 'error.log'} warn;
{'user root;' if as_root() else ''}
events {{ worker_connections 512; }}
http {{
    access_log {home / 'access.log'};
    client_body_temp_path {home / 'tmp/body'};
    proxy_temp_path {home / 'tmp/proxy'};
    fastcgi_temp_path {home / 'tmp/fastcgi'};
    uwsgi_temp_path {home / 'tmp/uwsgi'};
    scgi_temp_path {home / 'tmp/scgi'};
    upstream gandan {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{state['ports']['nginx']};
        client_max_body_size 20m;
        location / {{
            proxy_pass http://gandan;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A dead app server: GET and HEAD go on to the next one; a POST is not replayed by nginx
            # (it may have been written), the client retries it with its client_uuid.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
""")
    return conf


def start_app(state: dict[str, Any], index: int) -> Service:
    port = state["ports"]["apps"][index]
    service = Service.start(f"app{index + 1}", [
        str(BIN / "gunicorn"), "gandan.wsgi:application", "--bind", f"127.0.0.1:{port}", "--worker-class",
        "gthread", "--workers", "1", "--threads", "4", "--timeout", "30", "--graceful-timeout", "5",
        "--name", f"gandan-app{index + 1}", "--no-control-socket"], ROOT / "logs", env=app_env(state), cwd=REPO)
    return service


def start_worker(state: dict[str, Any], index: int) -> Service:
    # The first consumer keeps the schedule; the others only take jobs (each would enqueue every
    # periodic job again otherwise).
    args = [str(BIN / "gandan"), "worker", "--workers", "2"] + ([] if index == 0 else ["--no-periodic"])
    return Service.start(f"worker{index + 1}", args, ROOT / "logs", env=app_env(state), cwd=REPO)


def _step(label: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {label}", flush=True)


def up() -> dict[str, Any]:
    """Start everything from nothing (an existing cluster is stopped and wiped first); on a failure,
    stop what started and keep the files (logs) to read."""
    try:
        return _up()
    except BaseException:
        down()
        raise


def _up() -> dict[str, Any]:
    if load_state() is not None:
        down(wipe=True)
    if ROOT.exists():
        shutil.rmtree(ROOT)
    ROOT.mkdir(parents=True)
    ports = {"primary": free_port(), "replica": free_port(), "pgbouncer": free_port(), "redis": free_port(),
             "nginx": free_port(), "apps": [free_port() for _ in range(APPS)]}
    state: dict[str, Any] = {"ports": ports, "secret_key": secrets.token_urlsafe(40), "services": {}}
    save_state(state)
    logs = ROOT / "logs"

    _step(f"PostgreSQL primary on 127.0.0.1:{ports['primary']}")
    primary = Postgres(ROOT / "pg-primary", ports["primary"])
    primary.init()
    primary.start()
    primary.sql(f"CREATE DATABASE {DB}")
    _step(f"streaming replica (pg_basebackup) on 127.0.0.1:{ports['replica']}")
    replica = primary.replica(ROOT / "pg-replica", ports["replica"])
    replica.start()

    _step(f"Redis on 127.0.0.1:{ports['redis']}")
    (ROOT / "redis").mkdir()
    redis = Service.start("redis", ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no", "--dir", str(ROOT / "redis")], logs)
    wait_port(ports["redis"], proc=redis.proc)

    _step(f"pgbouncer (transaction pooling) on 127.0.0.1:{ports['pgbouncer']}")
    ini = _pgbouncer_config(state)
    bouncer = Service.start("pgbouncer", ["pgbouncer", *(["-u", "postgres"] if as_root() else []), str(ini)], logs)
    wait_port(ports["pgbouncer"], proc=bouncer.proc)
    state["services"].update({"redis": redis.as_dict(), "pgbouncer": bouncer.as_dict()})
    save_state(state)

    direct = {**app_env(state, direct=True), "GANDAN_ENV": "development"}  # the demo refuses production
    steps = [["migrate", "--noinput", "-v0"]]
    if DATA == "demo":
        steps += [["load-units"], ["demo", "--scale", DEMO_SCALE]]
    for args in steps:
        _step(f"gandan {' '.join(args)} (on the primary)")
        run([str(BIN / "gandan"), *args], env=direct, cwd=REPO)
    _step(f"data: {DATA}, and a cadre's API token")
    seed = run([str(BIN / "python"), "-m", "cluster.seed", DATA], env=direct, cwd=REPO).stdout.splitlines()[-1]
    state["seed"] = json.loads(seed)

    _step(f"{APPS} gunicorn app servers on {', '.join(map(str, ports['apps']))}; {WORKERS} huey consumers")
    for i in range(APPS):
        state["services"][f"app{i + 1}"] = start_app(state, i).as_dict()
    for i in range(WORKERS):
        state["services"][f"worker{i + 1}"] = start_worker(state, i).as_dict()
    save_state(state)
    for port in ports["apps"]:
        wait_port(port, timeout=60)

    _step(f"nginx on 127.0.0.1:{ports['nginx']}")
    conf = _nginx_config(state)
    nginx = Service.start("nginx", ["nginx", "-p", str(ROOT / "nginx"), "-c", str(conf), "-e",
                                    str(ROOT / "nginx" / "error.log")], logs)
    wait_port(ports["nginx"], proc=nginx.proc)
    state["services"]["nginx"] = nginx.as_dict()
    save_state(state)
    print(f"Cụm chạy tại / cluster up at http://127.0.0.1:{ports['nginx']}/ (state: {state_path()})")
    return state


def service(state: dict[str, Any], name: str) -> Service:
    return Service(**state["services"][name])


def down(*, wipe: bool = False) -> None:
    state = load_state()
    if state is not None:
        order = ["nginx"] + sorted(n for n in state["services"] if n.startswith("app")) + \
            sorted(n for n in state["services"] if n.startswith("worker")) + ["pgbouncer", "redis"]
        for name in order:
            if name in state["services"]:
                svc = service(state, name)
                if name.startswith("worker"):
                    svc.signal(signal.SIGINT)  # huey's graceful stop: running jobs finish
                    if not svc.wait(15):
                        svc.kill()
                else:
                    svc.stop()
        for name in ("pg-replica", "pg-primary"):
            Postgres(ROOT / name, 0).stop()
        state_path().unlink()
        print("Cụm đã dừng / cluster down")
    if wipe and ROOT.exists():
        shutil.rmtree(ROOT)


def status() -> int:
    state = load_state()
    if state is None:
        print("Cụm chưa chạy / no cluster")
        return 1
    for name in state["services"]:
        svc = service(state, name)
        print(f"{name:10} pid {svc.pid:>7} {'up' if svc.alive() else 'DOWN'}  {svc.log}")
    for name in ("pg-primary", "pg-replica"):
        ok = subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p",
                             str(state["ports"][name.split('-')[1]])], capture_output=True).returncode == 0
        print(f"{name:10} port {state['ports'][name.split('-')[1]]:>6} {'up' if ok else 'DOWN'}")
    print(f"http://127.0.0.1:{state['ports']['nginx']}/")
    return 0
