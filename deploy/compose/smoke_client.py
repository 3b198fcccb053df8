"""HTTP and Docker helpers of the stack's smoke test (standard library only)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

PROXY = ("127.0.0.1", 18500)
PROJECT = os.environ.get("COMPOSE_PROJECT_NAME", "hexapi")
INSTANCES = tuple(f"{PROJECT}_app{number}_1" for number in (1, 2, 3))


def check(condition: bool, message: str) -> None:
    """Fail with `message` unless `condition` holds."""
    if not condition:
        raise AssertionError(message)


@dataclass
class Answer:
    """One response: status, headers (lower-case names), body, the request id sent."""

    status: int
    headers: dict[str, str]
    body: bytes
    request_id: str

    def json(self) -> dict[str, object]:
        """The body as a JSON object."""
        value = json.loads(self.body)
        assert isinstance(value, dict), self.body
        return value


def call(
    method: str,
    path: str,
    body: object = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Answer:
    """One request through the proxy on a new connection, tagged with a fresh request id."""
    request_id = f"smoke-{uuid.uuid4().hex}"
    sent = {"X-Request-ID": request_id, **(headers or {})}
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection(*PROXY, timeout=15)
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, response.read(), request_id)
    finally:
        connection.close()


def raw_exchange(request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are to the proxy; the status and body of what comes back."""
    with socket.create_connection(PROXY, timeout=5) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def served_by(request_ids: set[str]) -> dict[str, set[str]]:
    """Which instance logged each of these request ids (gunicorn's JSON access lines)."""
    found: dict[str, set[str]] = {}
    for name in INSTANCES:
        logs = subprocess.run(
            ["docker", "logs", name], capture_output=True, text=True, check=True
        ).stdout
        for line in logs.splitlines():
            if not line.startswith("{"):
                continue
            request_id = json.loads(line).get("request_id")
            if request_id in request_ids:
                found.setdefault(name, set()).add(request_id)
    return found


def docker(*args: str) -> None:
    """Run a docker command; fail loudly."""
    subprocess.run(["docker", *args], check=True, capture_output=True)


def wait_healthy(name: str, timeout: float = 60) -> None:
    """Wait until the container's HEALTHCHECK reports healthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = subprocess.run(
            ["docker", "inspect", "-f", "{{.State.Health.Status}}", name],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if state == "healthy":
            return
        time.sleep(0.5)
    raise AssertionError(f"{name} is not healthy after {timeout} s")


@dataclass
class Load:
    """Clients sending `make_request` in a loop until stopped; every answer is kept."""

    make_request: Callable[[], Answer]
    clients: int = 4
    answers: list[tuple[float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                status = self.make_request().status
            # A truncated answer (the instance died mid-body) is an HTTPException, not an OSError.
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(repr(error))
                continue
            self.answers.append((time.monotonic() - started, status))

    def __enter__(self) -> Load:
        self._threads = [threading.Thread(target=self._run) for _ in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def failures(self, ok: set[int]) -> list[str]:
        """Connection errors and answers whose status is not in `ok`."""
        return self.errors + [str(status) for _, status in self.answers if status not in ok]
