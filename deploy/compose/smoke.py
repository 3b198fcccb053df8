"""The compose stack's smoke and scale-out test, through the proxy (`make docker-check`).

Run against a stack that `docker-compose up` started; exits non-zero on the first failure.
"""

from __future__ import annotations

import json
import sys
import uuid

from smoke_client import INSTANCES, call, check, raw_exchange, served_by
from smoke_failover import (
    killed_instance_is_retried,
    proxy_answers_502_without_instances,
    rolling_restart_has_no_errors,
    slow_clients_do_not_stall,
)


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
    """A body over 1 MiB and requests that do not parse get the proxy's JSON envelope."""
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
    for request, status in ((b"GARBAGE\r\n\r\n", 400), (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505)):
        answered, body = raw_exchange(request)
        check(answered == status and json.loads(body)["error"] == status, f"{request!r}: {body!r}")
    print("ok: JSON 413, 400 and 505 from the proxy")


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
