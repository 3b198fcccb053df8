"""The bench's rounds: seeding the service, the routes under load, and each route's medians.

Each route runs on the bare app, then on the service, then on the limit app, one right after
the other; a row holds the three's figures and the service's ratios to the other two.
"""

from __future__ import annotations

import json
import re
import secrets
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from http.client import HTTPConnection
from typing import Any

from load import Load, LoadResult, run
from servers import Server

SEEDED_ITEMS = 100


def request(server: Server, method: str, path: str, **kwargs: Any) -> tuple[int, Any, str]:
    """One request: status, JSON body, Set-Cookie."""
    connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        headers = dict(kwargs.get("headers", {}))
        body = None
        if "body" in kwargs:
            body = json.dumps(kwargs["body"]).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, json.loads(content or b"null"), response.getheader("Set-Cookie", "")
    finally:
        connection.close()


def seed(service: Server, *, count: int = SEEDED_ITEMS) -> tuple[tuple[tuple[str, str], ...], str]:
    """A session-bound token with its cookie, and `count` items; (headers, an item id)."""
    status, body, cookie = request(service, "GET", "/api/public")
    assert status == 200, body
    match = re.search(r"(session=[^;]+)", cookie)
    assert match, cookie
    auth = (("Authorization", f"Bearer {body['token']}"), ("Cookie", match.group(1)))
    item_id = ""
    batch = secrets.token_hex(3)  # a service may be seeded twice (the overhead runs)
    for number in range(count):
        status, item, _ = request(
            service,
            "POST",
            "/api/items",
            headers=dict(auth),
            body={"title": f"seed {batch} {number}"},
        )
        assert status == 201, item
        item_id = item_id or item["id"]
    return auth, item_id


def routes(auth: tuple[tuple[str, str], ...], item_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The service's routes under test, as Load fields."""
    json_type = (("Content-Type", "application/json"),)
    return [
        ("GET /", {"path": "/"}),
        ("GET /api/restricted", {"path": "/api/restricted", "headers": auth}),
        ("GET /api/items/<id>", {"path": f"/api/items/{item_id}"}),
        ("GET /api/items?limit=20", {"path": "/api/items?limit=20"}),
        (
            "POST /api/items",
            {
                "path": "/api/items",
                "method": "POST",
                "headers": auth + json_type,
                "body": '{"title": "bench {n}"}',
            },
        ),
    ]


@dataclass(frozen=True)
class Sample:
    """One run against one server: the load's figures and the workers' CPU per request."""

    load: LoadResult
    cpu_ms: float


def sample(server: Server, load: Load) -> Sample:
    """Run the load; CPU is read from the workers before and after (robust to a busy host)."""
    before = server.worker_cpu_seconds()
    result = run(load)
    spent = server.worker_cpu_seconds() - before
    return Sample(result, 1000 * spent / max(result.requests, 1))


@dataclass(frozen=True)
class Round:
    """One route once: the bare app right before the service, the limit app right after."""

    service: Sample
    bare: Sample
    limit: Sample


def measure(
    bare: Server,
    service: Server,
    limit: Server,
    *,
    connections: int,
    duration: float,
    rounds: int,
) -> list[dict[str, Any]]:
    """Each route `rounds` times: bare app, service, limit app, one right after the other.

    The limit of `GET /` is the bare app itself, so that route has no run of its own there.
    """
    shapes = routes(*seed(service))
    runs: dict[str, list[Round]] = {name: [] for name, _ in shapes}

    def load(server: Server, path: str, **fields: Any) -> Sample:
        url = f"{server.url}{path}"
        return sample(server, Load(url, connections=connections, duration=duration, **fields))

    for number in range(rounds):
        for name, shape in shapes:
            fields = dict(shape)
            path = fields.pop("path")
            reference = load(bare, "/")
            measured = load(service, path, **fields)
            ceiling = reference if path == "/" else load(limit, path, **fields)
            runs[name].append(Round(measured, reference, ceiling))
            print(
                f"  round {number + 1} {name}: ratio {ratio(measured, reference):.2f}, "
                f"limit_ratio {ratio(measured, ceiling):.2f}",
                file=sys.stderr,
            )
    return [row(name, each) for name, each in runs.items()]


def ratio(measured: Sample, reference: Sample) -> float:
    return measured.load.per_second / reference.load.per_second


def row(name: str, runs: list[Round]) -> dict[str, Any]:
    """Medians over the rounds; each ratio is the median of the rounds' own ratios."""

    def figures(samples: list[Sample], prefix: str = "") -> dict[str, float]:
        return {
            f"{prefix}requests_per_second": round(median(s.load.per_second for s in samples), 1),
            f"{prefix}p50_ms": round(median(s.load.p50_ms for s in samples), 2),
            f"{prefix}p99_ms": round(median(s.load.p99_ms for s in samples), 2),
            f"{prefix}worker_cpu_ms_per_request": round(median(s.cpu_ms for s in samples), 3),
        }

    service = [each.service for each in runs]
    return {
        "route": name,
        **figures(service),
        "errors": sum(s.load.bad_status + s.load.socket_errors for s in service),
        **figures([each.bare for each in runs], "bare_"),
        **figures([each.limit for each in runs], "limit_"),
        "ratio": round(median(ratio(each.service, each.bare) for each in runs), 3),
        "limit_ratio": round(median(ratio(each.service, each.limit) for each in runs), 3),
        "rounds": len(runs),
        "tool": service[0].load.tool,
    }


def median(values: Iterable[float]) -> float:
    return statistics.median(values)
