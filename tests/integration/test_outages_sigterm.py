"""SIGTERM under load: gunicorn lets in-flight requests finish, and no write is half done.

One request is provably in flight when the signal arrives: its headers are read (the worker
answered `100 Continue`) and its body is sent only after the signal. Writers post items
all along; afterwards a fresh service must return every item that was answered 201, and
no item that was not.
"""

from __future__ import annotations

import json
import socket
import threading
from http.client import HTTPException
from pathlib import Path

import pytest

from adapters.sql.database import db_create_all
from tests.helpers import unique
from tests.integration.processes import (
    Answer,
    Service,
    gunicorn_service,
    http,
    service_env,
    session_cookie,
    wait_until,
)

pytestmark = pytest.mark.integration

WRITERS = 4
WRITES_BEFORE_SIGNAL = 40


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    return tmp_path


def login(service: Service) -> dict[str, str]:
    answer = service.call("GET", "/api/public")
    return {"Authorization": f"Bearer {answer.json()['token']}", "Cookie": session_cookie(answer)}


class Writers:
    """Threads posting items until the service stops taking connections."""

    def __init__(self, port: int, auth: dict[str, str]) -> None:
        self.port, self.auth = port, auth
        self.answers: list[tuple[str, Answer]] = []
        self.unanswered = 0
        self.broken: list[str] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write) for _ in range(WRITERS)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        for thread in self._threads:
            thread.join(timeout=60)

    def created(self) -> int:
        with self._lock:
            return sum(answer.status == 201 for _, answer in self.answers)

    def _write(self) -> None:
        for _ in range(10_000):  # bounded: the service stops long before
            title = unique("sigterm")
            try:
                answer = http(
                    self.port, "POST", "/api/items", headers=self.auth, body={"title": title}
                )
            except ConnectionRefusedError:
                return  # the listener is closed: the shutdown has begun
            except OSError:
                # Accepted by the kernel but never by a worker: nothing was read, nothing written.
                with self._lock:
                    self.unanswered += 1
                continue
            except HTTPException as error:  # an answer cut short: what graceful must prevent
                with self._lock:
                    self.broken.append(repr(error))
                continue
            with self._lock:
                self.answers.append((title, answer))


def start_in_flight_post(port: int, auth: dict[str, str], body: bytes) -> socket.socket:
    """A POST whose headers a worker has read (it said 100 Continue) and whose body is unsent."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [
        "POST /api/items HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Expect: 100-continue",
        *(f"{name}: {value}" for name, value in auth.items()),
    ]
    try:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        assert connection.recv(64).startswith(b"HTTP/1.1 100 Continue")
    except BaseException:
        connection.close()
        raise
    return connection


def finish(connection: socket.socket, body: bytes) -> tuple[int, dict[str, str]]:
    """Send the body and read the whole answer (the server closes the connection)."""
    connection.sendall(body)
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    head, _, content = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(content)


def test_sigterm_finishes_in_flight_requests_and_loses_no_write(instance: Path) -> None:
    # The writers go as fast as one worker serves them; a rate limit would refuse some of them,
    # which is not what this test is about.
    env = service_env(instance, RATELIMIT_ENABLED="false")
    in_flight_title = unique("in-flight")
    body = json.dumps({"title": in_flight_title}).encode()
    service = Service(env, instance / "first")
    try:
        service.start()
        auth = login(service)
        pending = start_in_flight_post(service.port, auth, body)
        with pending, Writers(service.port, auth) as writers:
            wait_until(lambda: writers.created() >= WRITES_BEFORE_SIGNAL, timeout=60, what="writes")
            assert service.process is not None
            service.process.terminate()  # SIGTERM to the master: graceful shutdown
            status, item = finish(pending, body)
        assert service.process.wait(timeout=60) == 0
    finally:
        service.stop()

    assert status == 201, item
    assert item["title"] == in_flight_title
    assert writers.broken == []
    statuses = {answer.status for _, answer in writers.answers}
    assert statuses == {201}, statuses
    written = {title: answer.json()["id"] for title, answer in writers.answers}
    written[in_flight_title] = item["id"]

    with gunicorn_service(env, instance / "second") as again:
        for title, item_id in written.items():
            read = again.call("GET", f"/api/items/{item_id}")
            assert read.status == 200
            assert read.json()["title"] == title
        # Nothing more than what was answered 201: no write happened behind a lost answer.
        assert again.call("GET", "/api/items?limit=1").json()["total"] == len(written)
