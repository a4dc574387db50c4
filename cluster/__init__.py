"""`make cluster` (`python -m cluster up|down|status|test`): the production topology of README
"Running in production", on loopback, with files under var/cluster/ (CLUSTER_DIR):

    client ─▶ nginx ─▶ gunicorn × CLUSTER_APPS ─▶ pgbouncer ─┬─▶ PostgreSQL primary
                                                            └─▶ PostgreSQL replica (streaming, pg_basebackup)
              huey consumers × CLUSTER_WORKERS ─▶ Redis (queue, cache, rate limits); one keeps the schedule

Every port is chosen free at `up` (never 5432 or 6379, this machine's own servers) and kept in
var/cluster/state.json, which `down` and `test` read. `launcher.py` starts and stops each part and
can be used alone. `test` is the bounded failure test (drive.py): writes through nginx while one app
server and one worker are killed.
"""
