"""Clients that send their request a byte at a time, and ordinary traffic timed beside them."""

from __future__ import annotations

import select
import socket
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field

from tests.integration.processes import http

HEAD_START = b"GET /api/items HTTP/1.1\r\nHost: api\r\nX-Slow: "
BODY_START = (
    b"POST /api/users HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100000\r\n\r\n"
)
ORDINARY = ("/healthz", "/api/items?limit=5", "/")


@dataclass
class Tricklers:
    """`count` connections, half trickling a request head, half a body, one byte per `interval`."""

    port: int
    count: int
    interval: float = 0.5
    heads: list[socket.socket] = field(default_factory=list)
    bodies: list[socket.socket] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        """Open every connection and send its first bytes; trickle the rest from a thread."""
        for number in range(self.count):
            connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            slow_head = number % 2 == 0
            connection.sendall(HEAD_START if slow_head else BODY_START)
            (self.heads if slow_head else self.bodies).append(connection)
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sending; the connections stay open until close()."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def close(self) -> None:
        self.stop()
        for connection in self.heads + self.bodies:
            connection.close()

    def _trickle(self) -> None:
        while not self._stop.wait(self.interval):
            for connection in self.heads + self.bodies:
                with suppress(OSError):  # cut by the server: counted by still_waiting()
                    connection.send(b"a")


def still_waiting(connection: socket.socket) -> bool:
    """Whether the server holds this connection open without having answered anything."""
    # Readable means an answer or the end of the connection; either way no longer waiting.
    poller = select.poll()  # not select(): a thousand clients have descriptors past 1024
    poller.register(connection, select.POLLIN | select.POLLHUP | select.POLLERR)
    return not poller.poll(0)


def read_answer(connection: socket.socket) -> bytes:
    """One whole answer: its head, then as much body as its Content-Length says."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
        head, found, body = received.partition(b"\r\n\r\n")
        if found and len(body) >= _length(head):
            break
    return received


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@dataclass
class Traffic:
    """Ordinary requests from a few client threads, each answer's status and latency kept."""

    port: int
    clients: int = 4
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def run_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self._client, args=(deadline,)) for _ in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    def _client(self, deadline: float) -> None:
        turn = 0
        while time.monotonic() < deadline:
            path = ORDINARY[turn % len(ORDINARY)]
            turn += 1
            started = time.monotonic()
            try:
                status = http(self.port, "GET", path, timeout=10).status
            except OSError as error:
                self.failures.append(f"{path}: {error!r}")
                continue
            self.latencies.append(time.monotonic() - started)
            if status != 200:
                self.failures.append(f"{path}: {status}")
