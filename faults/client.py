"""A small HTTP client for the harness (the standard library's http.client: one connection per call,
as a phone on a bad network would make), and the tally of what came back.

Every answer is classified into a kind: "ok" (2xx), "conflict" (409), "unavailable" (503 with a
Retry-After and an error id), "http_<status>" for any other status, or the failure of the call
itself ("refused", "reset", "timeout"). A 5xx body is also checked for what must never be in it:
a traceback, an exception's name, a file path of the code.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LEAKS = ("Traceback", "File \"/", "OperationalError", "psycopg", "site-packages", "Exception")


@dataclass
class Answer:
    at: float  # seconds since the scenario's start
    kind: str
    status: int | None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    ended: float = 0.0  # when the answer (or the failure) came

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def _kind(status: int, headers: dict[str, str], raw: bytes) -> str:
    if 200 <= status < 300:
        return "ok"
    if status == 409:
        return "conflict"
    text = raw.decode("utf-8", "replace")
    if status >= 500 and any(leak in text for leak in LEAKS):
        return f"leak_{status}"
    if status == 503:
        has_id = '"error_id"' in text or 'data-testid="error-id"' in text
        return "unavailable" if headers.get("retry-after") and has_id else "unavailable_bare"
    return f"http_{status}"


class Client:
    def __init__(self, port: int, *, token: str = "", start: float | None = None, timeout: float = 30) -> None:
        self.port, self.token, self.timeout = port, token, timeout
        self.start = time.monotonic() if start is None else start
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, body: Any = None, *, form: dict[str, str] | None = None,
             files: dict[str, tuple[str, bytes, str]] | None = None, headers: dict[str, str] | None = None) -> Answer:
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data: bytes | None = None
        if files is not None:
            boundary = uuid.uuid4().hex
            parts = []
            for name, (filename, content, content_type) in files.items():
                head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                        f"filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n")
                parts.append(head.encode() + content + b"\r\n")
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            from urllib.parse import urlencode
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        at = time.monotonic() - self.start
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            got = {k.lower(): v for k, v in response.getheaders()}
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        except ConnectionRefusedError:
            return Answer(at, "refused", None, ended=time.monotonic() - self.start)
        except TimeoutError:
            return Answer(at, "timeout", None, ended=time.monotonic() - self.start)
        except (ConnectionError, http.client.HTTPException, OSError):
            return Answer(at, "reset", None, ended=time.monotonic() - self.start)
        finally:
            connection.close()
        parsed: Any = raw
        if got.get("content-type", "").startswith("application/json"):
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw
        return Answer(at, _kind(response.status, got, raw), response.status, parsed, got,
                      ended=time.monotonic() - self.start)


class Tally:
    """Answers from many threads: counts by kind, with the time of each non-ok one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: Counter[str] = Counter()
        self.failures: list[Answer] = []
        self.requests = 0

    def add(self, answer: Answer) -> Answer:
        with self.lock:
            self.requests += 1
            self.kinds[answer.kind] += 1
            if not answer.ok and answer.kind != "conflict":
                self.failures.append(answer)
        return answer

    def errors(self) -> dict[str, int]:
        return {k: n for k, n in sorted(self.kinds.items()) if k != "ok"}
