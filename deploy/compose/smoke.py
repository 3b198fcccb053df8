"""The compose stack's smoke and scale-out test, through the proxy (`make docker-check`).

Run against a stack that `docker-compose up` started; exits non-zero on the first failure.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid

from smoke_client import INSTANCES, PROXY, Answer, Load, call, docker, served_by, wait_healthy

SLOW_CLIENTS = 200
P99_BOUND_SECONDS = 1.0


def check(condition: bool, message: str) -> None:
    """Fail with `message` unless `condition` holds."""
    if not condition:
        raise AssertionError(message)


def instances_share_the_load() -> None:
    """Requests through the proxy reach every instance."""
    answers = [call("GET", "/") for _ in range(30)]
    check(all(answer.status == 200 for answer in answers), "GET / failed through the proxy")
    serving = served_by({answer.request_id for answer in answers})
    check(len(serving) == len(INSTANCES), f"only {sorted(serving)} answered")
    print(f"ok: 30 requests answered by {len(serving)} instances")


def login_works_everywhere() -> str:
    """A login on one instance: its token works on the others, its logout is seen by all."""
    username, password = f"smoke{uuid.uuid4().hex[:8]}", "a long enough password"
    check(
        call("POST", "/api/users", {"username": username, "password": password}).status == 201,
        "registration failed",
    )
    login = call("POST", "/api/auth/token", {"username": username, "password": password})
    check(login.status == 200, f"login answered {login.status}")
    token = str(login.json()["token"])
    bearer = {"Authorization": f"Bearer {token}"}
    uses = [call("GET", "/api/users/me", headers=bearer) for _ in range(6)]
    check(all(use.status == 200 for use in uses), "the token failed on some instance")
    check(
        len(served_by({use.request_id for use in uses} | {login.request_id})) >= 2,
        "the token was not used on another instance than the login's",
    )
    session = call("GET", "/api/public")
    cookie = session.headers["set-cookie"].split(";", 1)[0]
    bound = {"Authorization": f"Bearer {session.json()['token']}", "Cookie": cookie}
    restricted = [call("GET", "/api/restricted", headers=bound) for _ in range(6)]
    check(all(answer.status == 200 for answer in restricted), "a session was missing somewhere")
    second = call("POST", "/api/auth/token", {"username": username, "password": password})
    other = {"Authorization": f"Bearer {second.json()['token']}"}
    check(call("POST", "/api/auth/logout", headers=other).status == 204, "logout failed")
    after = [call("GET", "/api/users/me", headers=other) for _ in range(6)]
    check(all(answer.status == 401 for answer in after), "an instance accepted a revoked token")
    print("ok: token, session and logout shared by the instances")
    return token


def rate_limits_are_shared() -> None:
    """Failed logins count once across instances; a forged X-Forwarded-For changes nothing."""
    statuses = []
    for attempt in range(12):
        forged = {"X-Forwarded-For": f"203.0.113.{attempt}"}
        wrong = {"username": "nobody-at-all", "password": "not the password"}
        statuses.append(call("POST", "/api/auth/token", wrong, headers=forged).status)
    check(429 in statuses and statuses.index(429) <= 10, f"no shared limit: {statuses}")
    print(f"ok: credentials limit reached after {statuses.index(429)} attempts across instances")


def proxy_answers_its_own_errors() -> None:
    """A body over 1 MiB is refused by the proxy with the JSON envelope."""
    big = call(
        "POST",
        "/api/items",
        raw=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )
    check(big.status == 413, f"a 2 MiB body answered {big.status}")
    check(
        big.json() == {"error": 413, "message": "request body too large", "success": False},
        f"413 body: {big.body!r}",
    )
    check("x-request-id" not in big.headers, "the 413 came from an instance, not the proxy")
    print("ok: JSON 413 from the proxy")


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
    """An instance killed under load: reads never fail, it rejoins when started again."""
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
    check(
        not reads.failures({200}), f"reads failed past a killed instance: {reads.failures({200})}"
    )
    lost = writes.failures({201})
    check(len(lost) <= writes.clients, f"more writes failed than were in flight: {lost}")
    print(
        f"ok: {len(reads.answers)} reads, 0 failed; {len(writes.answers)} writes, "
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


def main() -> int:
    """Every check in order; the first failure stops the run."""
    instances_share_the_load()
    proxy_answers_its_own_errors()
    token = login_works_everywhere()
    slow_clients_do_not_stall(token)
    killed_instance_is_retried(token)
    rolling_restart_has_no_errors(token)
    rate_limits_are_shared()
    proxy_answers_502_without_instances()
    return 0


if __name__ == "__main__":
    sys.exit(main())
