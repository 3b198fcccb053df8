"""Smoke checks that stop, kill and replace instances under load, and slow clients."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid

from smoke_client import (
    INSTANCES,
    PROXY,
    Answer,
    Load,
    call,
    check,
    docker,
    served_by,
    wait_healthy,
)

SLOW_CLIENTS = 200
P99_BOUND_SECONDS = 1.0


def slow_clients_do_not_stall(token: str) -> None:
    """Connections trickling headers and bodies hold the proxy, never the instances."""
    sockets = []
    for number in range(SLOW_CLIENTS):
        conn = socket.create_connection(PROXY)
        if number % 2:
            conn.sendall(
                b"POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                b"\r\nContent-Length: 100000\r\n\r\n{"
            )
        else:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        sockets.append(conn)
    bearer = {"Authorization": f"Bearer {token}"}
    with Load(lambda: call("GET", "/api/items?limit=5", headers=bearer), clients=4) as load:
        for _ in range(8):
            time.sleep(0.5)
            for number, conn in enumerate(sockets):
                conn.sendall(b"x" if number % 2 else b"X-Slow: 1\r\n")
    for conn in sockets:
        conn.close()
    check(not load.failures({200}), f"failures beside slow clients: {load.failures({200})[:5]}")
    times = sorted(seconds for seconds, _ in load.answers)
    p99 = times[int(len(times) * 0.99) - 1]
    check(p99 < P99_BOUND_SECONDS, f"p99 {p99:.3f} s beside {SLOW_CLIENTS} slow clients")
    print(f"ok: {len(times)} requests beside {SLOW_CLIENTS} slow clients, p99 {p99 * 1000:.0f} ms")


def killed_instance_is_retried(token: str) -> None:
    """An instance killed under load: only requests in flight on it fail; it rejoins when back."""
    bearer = {"Authorization": f"Bearer {token}"}
    victim = INSTANCES[1]
    titles = iter(range(10**9))

    def write() -> Answer:
        return call(
            "POST",
            "/api/items",
            {"title": f"kill {uuid.uuid4().hex[:8]} {next(titles)}"},
            headers=bearer,
        )

    with (
        Load(lambda: call("GET", "/api/items?limit=5"), clients=4) as reads,
        Load(write, clients=2) as writes,
    ):
        time.sleep(1.5)
        docker("kill", victim)
        time.sleep(3)
    # A request the killed instance had begun to answer cannot be retried (the client already
    # has part of the answer); every later one is retried on the others.
    cut = reads.failures({200})
    check(len(cut) <= reads.clients, f"more reads failed than were in flight: {cut}")
    lost = writes.failures({201})
    check(len(lost) <= writes.clients, f"more writes failed than were in flight: {lost}")
    print(
        f"ok: {len(reads.answers)} reads, {len(cut)} failed; {len(writes.answers)} writes, "
        f"{len(lost)} failed (in flight on the killed instance)"
    )
    docker("start", victim)
    wait_healthy(victim)
    time.sleep(3.5)  # the proxy's fail_timeout: it tries the instance again after that
    back = [call("GET", "/") for _ in range(12)]
    check(victim in served_by({answer.request_id for answer in back}), f"{victim} did not rejoin")
    print(f"ok: {victim} rejoined after restart")


def rolling_restart_has_no_errors(token: str) -> None:
    """Each instance replaced in turn by rolling-restart.sh under load: no request fails."""
    bearer = {"Authorization": f"Bearer {token}"}
    with (
        Load(lambda: call("GET", "/api/items?limit=5"), clients=3) as reads,
        Load(
            lambda: call(
                "POST", "/api/items", {"title": f"roll {uuid.uuid4().hex}"}, headers=bearer
            ),
            clients=1,
        ) as writes,
    ):
        subprocess.run(["./rolling-restart.sh"], check=True, capture_output=True)
    failures = reads.failures({200}) + writes.failures({201})
    check(not failures, f"failures during a rolling restart: {failures[:5]}")
    print(f"ok: rolling restart, {len(reads.answers) + len(writes.answers)} requests, 0 errors")


def proxy_answers_502_without_instances() -> None:
    """With every instance stopped the proxy answers a JSON 502."""
    for name in INSTANCES:
        docker("stop", "-t", "35", name)
    answer = call("GET", "/api/items")
    check(answer.status == 502 and answer.json()["error"] == 502, f"got {answer.status}")
    print("ok: JSON 502 from the proxy with no instance up")
