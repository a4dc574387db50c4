"""Fault harness (`make faults`): the app on PostgreSQL and Redis of its own, on 127.0.0.1, broken on
purpose while it serves — app servers killed, the database restarted, Redis stopped, concurrent
updates, a full disk — and checked for lost rows, stack traces and silent overwrites. See README
"Reliability" and faults/__main__.py."""
