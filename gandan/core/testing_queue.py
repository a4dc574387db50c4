"""For tests: huey's queue made unreachable, as in a Redis outage (core/outbox.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def queue_unreachable() -> Iterator[None]:
    """huey out of immediate mode, its storage a Redis at a closed port: enqueuing raises redis'
    ConnectionError as in production when Redis is down. Restored after."""
    immediate, storage = HUEY.immediate, HUEY.storage
    HUEY._immediate = False
    HUEY.storage = RedisStorage(HUEY.name, url=f"redis://127.0.0.1:{closed_port()}/0?socket_connect_timeout=1")
    try:
        yield
    finally:
        HUEY._immediate, HUEY.storage = immediate, storage
